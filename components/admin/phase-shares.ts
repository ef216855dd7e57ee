/**
 * A run's phase timings as shares of its total, so a page can show that they add up:
 * syncs record every phase plus `other` and `total` (lib/ingest/collect/phases.ts); other
 * jobs record only the phases they time, and the rest of their run becomes `other`.
 */
import { RUN_PHASES, type PhaseTimings, type RunPhase } from "@/lib/core/vocabulary";

export const PHASE_LABEL: Record<RunPhase, string> = {
  fetch: "Fetch from n8n",
  probe: "Probe gaps",
  classify: "Classify",
  store: "Store",
  errors: "Error details",
  llm: "LLM usage",
  rollup: "Rollups",
  other: "Other",
};

export interface PhaseShare {
  phase: RunPhase;
  ms: number;
  /** Whole percent of the total; the shares of a run add up to exactly 100. */
  percent: number;
}

export interface PhaseBreakdownData {
  phases: PhaseShare[];
  totalMs: number;
}

/**
 * Whole percents that add up to 100: each share rounded down, and the points left over
 * given to the largest remainders (rounding each alone can make 99 or 101).
 */
export function wholePercents(values: readonly number[]): number[] {
  const sum = values.reduce((a, b) => a + b, 0);
  if (sum <= 0) return values.map(() => 0);
  const exact = values.map((v) => (v / sum) * 100);
  const floors = exact.map(Math.floor);
  let left = 100 - floors.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - floors[i], i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    floors[i] += 1;
    left -= 1;
  }
  return floors;
}

/** Null when the run timed nothing (a queued run, or a job without phases). */
export function phaseBreakdown(phaseMs: PhaseTimings, durationMs: number | null): PhaseBreakdownData | null {
  const timed = RUN_PHASES.filter((p) => p !== "other" && (phaseMs[p] ?? 0) > 0).map((p) => ({
    phase: p,
    ms: phaseMs[p] ?? 0,
  }));
  const timedMs = timed.reduce((sum, p) => sum + p.ms, 0);
  // A sync's own total and other; elsewhere the run's duration, the untimed rest being other.
  const totalMs = phaseMs.total ?? Math.max(timedMs, durationMs ?? 0);
  const otherMs = phaseMs.other ?? Math.max(0, totalMs - timedMs);
  const entries = otherMs > 0 || timed.length === 0 ? [...timed, { phase: "other" as const, ms: otherMs }] : timed;
  if (totalMs <= 0) return null;
  // Shares of what is listed: each phase is rounded to the ms, so their sum may miss the total by a few.
  const percents = wholePercents(entries.map((e) => e.ms));
  return { phases: entries.map((e, i) => ({ ...e, percent: percents[i] })), totalMs };
}
