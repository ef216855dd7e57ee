import { RUN_PHASES, type PhaseTimings, type RunPhase } from "@/lib/core/vocabulary";

type TimedPhase = Exclude<RunPhase, "other">;

/**
 * Accumulates wall time per sync phase, for the sync run record and the system page.
 * Phases never overlap (a prefetched page counts only the time spent waiting for it), so
 * with `other` (everything between phases) they add up to the run's `total`.
 */
export class PhaseClock {
  private readonly started = performance.now();
  private readonly ms = Object.fromEntries(RUN_PHASES.map((p) => [p, 0])) as Record<RunPhase, number>;

  async time<T>(phase: TimedPhase, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.ms[phase] += performance.now() - started;
    }
  }

  timeSync<T>(phase: TimedPhase, work: () => T): T {
    const started = performance.now();
    try {
      return work();
    } finally {
      this.ms[phase] += performance.now() - started;
    }
  }

  toJSON(): PhaseTimings {
    const total = performance.now() - this.started;
    const timed = RUN_PHASES.filter((p) => p !== "other").reduce((sum, p) => sum + this.ms[p], 0);
    const out: PhaseTimings = {};
    for (const p of RUN_PHASES) {
      const v = p === "other" ? Math.max(0, total - timed) : this.ms[p];
      if (v > 0 || p === "fetch") out[p] = Math.round(v);
    }
    out.total = Math.round(total);
    return out;
  }
}
