import { RUN_PHASES, type PhaseTimings, type SyncFunction, type SyncTrigger } from "@/lib/core/vocabulary";
import { FLOWSCOPE_METRICS } from "./names";
import type { MetricPoint } from "./point";

/** Phase names a job may time beyond the sync's (the alert evaluation's measure and deliver). */
type Phases = Record<string, number>;

/** A finished run as the recorder sees it (sync_runs, or an alert evaluation, which records no run). */
export interface FinishedRun {
  function: SyncFunction | "evaluate-alerts";
  trigger: SyncTrigger;
  clientId?: number | null;
  runId?: number | null;
  ok: boolean;
  /** The job's own phase timings, when it keeps them (a sync's PhaseTimings, the alert job's measure and deliver). */
  phaseMs?: PhaseTimings | Phases;
  /** Wall time of the whole run as its recorder measured it. */
  wallMs: number;
  at: Date;
}

/**
 * The run's phases as points that add up exactly to its total: the job's own timings
 * where it kept them, "other" for the rest of the run's wall time (between phases, the
 * recorder's bookkeeping), and "total". A job that keeps no timings is all "other".
 */
export function phaseBreakdown(phaseMs: PhaseTimings | Phases | undefined, wallMs: number): Phases {
  const named: Phases = {};
  for (const [phase, ms] of Object.entries(phaseMs ?? {}) as Array<[string, number]>) {
    if (phase === "total" || phase === "other" || !Number.isFinite(ms) || ms <= 0) continue;
    named[phase] = Math.round(ms);
  }
  const sum = Object.values(named).reduce((a, b) => a + b, 0);
  const total = Math.max(sum, Math.round(phaseMs?.total ?? wallMs));
  const out: Phases = { ...named };
  if (total - sum > 0) out.other = total - sum;
  out.total = total;
  return out;
}

/** Points of one finished run: its phases (processing_time) and its outcome (success_rate). */
export function runPoints(run: FinishedRun): MetricPoint[] {
  const base: Record<string, string> = { function: run.function, trigger: run.trigger };
  if (run.clientId != null) base.client = String(run.clientId);
  const { phaseDuration, runSuccess } = FLOWSCOPE_METRICS;
  const status = run.ok ? "success" : "error";
  const runLabel: Record<string, string> = run.runId != null ? { run: String(run.runId) } : {};
  const phases = Object.entries(phaseBreakdown(run.phaseMs, run.wallMs)).map(([phase, ms]): MetricPoint => ({
    ...phaseDuration,
    value: ms,
    labels: { ...base, ...runLabel, status, phase },
    at: run.at,
  }));
  return [...phases, { ...runSuccess, value: run.ok ? 1 : 0, labels: base, at: run.at }];
}

/** A sync's n8n requests (lib/n8n/request-tally.ts), as points of its client. */
export function n8nRequestPoints(
  clientId: number,
  tally: { requests: number; retries: number; rateLimited: number; answered: number },
  at: Date = new Date(),
): MetricPoint[] {
  if (tally.requests === 0) return [];
  const labels = { client: String(clientId) };
  const m = FLOWSCOPE_METRICS;
  return [
    { ...m.n8nRequests, value: tally.requests, labels, at },
    { ...m.n8nRetries, value: tally.retries, labels, at },
    { ...m.n8nRateLimited, value: tally.rateLimited, labels, at },
    { ...m.n8nRequestSuccess, value: tally.answered / tally.requests, labels, at },
  ];
}

/** Phases a sync run can report, in the order the System page shows them. */
export const PHASE_ORDER = [...RUN_PHASES, "total"] as const;
