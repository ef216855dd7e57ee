import { cronTimes, type CronTimes } from "@/lib/core/cron-times";
import type { WorkflowSpec } from "./catalog";

/**
 * The generated source's scheduled runs. An active workflow with a `schedule` runs
 * automatically exactly at its fire times, in its zone (settings.timezone, else the
 * instance's): the slot whose window [epoch + i·gap, epoch + (i+1)·gap) holds a fire time
 * is claimed by that run, which starts on the second it is due, whatever the daily
 * pattern says. A slot holds one execution, so of two fires in one window only the first
 * workflow's runs (catalogue order): keep schedules coarser than the gap and on distinct
 * minutes (the catalogue's are, for the demo's 1- and 5-minute gaps).
 */
export interface Claim {
  spec: WorkflowSpec;
  start: number;
}

/** at() reads the claims of a whole block of slots at once, and keeps the last few blocks. */
const BLOCK = 1024;
const CACHED_BLOCKS = 8;

export class ScheduleClaims {
  private readonly scheduled: Array<{ spec: WorkflowSpec; times: CronTimes[] }>;
  private readonly blocks = new Map<number, Map<number, Claim>>();

  constructor(
    specs: WorkflowSpec[],
    timeZone: string,
    private readonly epochMs: number,
    private readonly gapMs: number,
  ) {
    this.scheduled = specs
      .filter((s) => isScheduled(s))
      .map((spec) => ({
        spec,
        times: (spec.schedule ?? []).map((cron) => cronTimes(cron, spec.settings?.timezone ?? timeZone)),
      }));
  }

  get any(): boolean {
    return this.scheduled.length > 0;
  }

  /** The run that holds `slot`, if a fire time falls in its window. */
  at(slot: number): Claim | null {
    if (this.scheduled.length === 0) return null;
    const block = Math.floor(slot / BLOCK);
    let claims = this.blocks.get(block);
    if (!claims) {
      claims = this.between(block * BLOCK, (block + 1) * BLOCK);
      if (this.blocks.size >= CACHED_BLOCKS) this.blocks.delete(this.blocks.keys().next().value as number);
      this.blocks.set(block, claims);
    }
    return claims.get(slot) ?? null;
  }

  /**
   * The claims of slots [lo, hi), by slot: each fire time claims the slot whose window
   * holds it, the earliest fire if a workflow has two there, the first workflow if two do.
   */
  between(lo: number, hi: number): Map<number, Claim> {
    const out = new Map<number, Claim>();
    if (this.scheduled.length === 0) return out;
    const from = this.epochMs + lo * this.gapMs;
    const to = this.epochMs + hi * this.gapMs;
    for (const { spec, times } of this.scheduled) {
      const mine = new Map<number, number>();
      for (const t of times) {
        for (const fire of t.between(from, to)) {
          const slot = this.slotOf(fire);
          const earlier = mine.get(slot);
          if (earlier === undefined || fire < earlier) mine.set(slot, fire);
        }
      }
      for (const [slot, start] of mine) if (!out.has(slot)) out.set(slot, { spec, start });
    }
    return out;
  }

  /** The slot whose window holds t, by the same sums at() uses (a fractional gap rounds). */
  private slotOf(t: number): number {
    let slot = Math.floor((t - this.epochMs) / this.gapMs);
    if (t < this.epochMs + slot * this.gapMs) slot--;
    else if (t >= this.epochMs + (slot + 1) * this.gapMs) slot++;
    return slot;
  }
}

/** Runs on its schedule: active, with fire times. */
export function isScheduled(spec: WorkflowSpec): boolean {
  return spec.active !== false && (spec.schedule?.length ?? 0) > 0;
}
