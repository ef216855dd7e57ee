import type { PhaseTimings } from "@/lib/db/schema";

type Phase = keyof Required<PhaseTimings>;

/** Accumulates wall time per sync phase, for the sync run record and the system page. */
export class PhaseClock {
  private readonly ms: Required<PhaseTimings> = { fetch: 0, classify: 0, store: 0, rollup: 0 };

  async time<T>(phase: Phase, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.ms[phase] += performance.now() - started;
    }
  }

  timeSync<T>(phase: Phase, work: () => T): T {
    const started = performance.now();
    try {
      return work();
    } finally {
      this.ms[phase] += performance.now() - started;
    }
  }

  toJSON(): PhaseTimings {
    return Object.fromEntries(Object.entries(this.ms).map(([k, v]) => [k, Math.round(v)]));
  }
}
