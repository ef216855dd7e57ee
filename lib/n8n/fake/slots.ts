import type { WorkflowSpec } from "./catalog";
import { normal, streamFor } from "./random";
import { HOUR_MS, DAY_MS } from "@/lib/core/time";

/**
 * The generated source's arithmetic: slot i starts at epoch + (i + jitter) * gap, and
 * what runs in it is drawn from its own random stream. Everything here is a pure
 * function of (seed, slot), so any slot is computed alone, in any order.
 */
export type Outcome = "success" | "error" | "crashed" | "canceled";

/** The draws of one slot, before retries are resolved. */
interface Base {
  start: number;
  present: boolean;
  spec: WorkflowSpec;
  mode: string;
  outcome: Outcome;
  /** Used again by a retry placed in this slot: success when below 0.7. */
  outcomeU: number;
  z: number;
  waitU: number;
  detailU: number;
  extraU: number;
  /** The slot where this failed run is retried, if it is. */
  retryAt: number | null;
}

/** One execution, resolved: what render() needs to show it at any time. */
export interface Plan {
  slot: number;
  start: number;
  spec: WorkflowSpec;
  mode: string;
  outcome: Outcome;
  detailU: number;
  extraU: number;
  retryOf: number | null;
  retrySlot: number | null;
  durationMs: number;
  waitMs: number;
}

const RETRY_REACH = 4;

export class SlotPlanner {
  private readonly cumulative: number[];

  constructor(
    private readonly seed: number,
    private readonly specs: WorkflowSpec[],
    private readonly gapMs: number,
    private readonly epochMs: number,
    private readonly dailyPattern: boolean,
  ) {
    let sum = 0;
    this.cumulative = specs.map((s) => (sum += s.weight));
    if (sum <= 0) throw new Error("at least one workflow needs a weight > 0");
  }

  startOf(slot: number): number {
    return Math.floor(this.epochMs + (slot + 0.9 * streamFor(this.seed, slot)()) * this.gapMs);
  }

  /** The newest slot started at or before t (-1 if none). */
  lastSlot(t: number): number {
    const s = Math.floor((t - this.epochMs) / this.gapMs);
    if (s < 0) return -1;
    return this.startOf(s) > t ? s - 1 : s;
  }

  /** The oldest slot started at or after t. */
  firstSlot(t: number): number {
    const s = Math.max(0, Math.floor((t - this.epochMs) / this.gapMs));
    return this.startOf(s) < t ? s + 1 : s;
  }

  /** Share of slots that hold an execution: busy afternoons, quiet nights and weekends. */
  private activity(t: number): number {
    if (!this.dailyPattern) return 1;
    // Arithmetic, not a Date (the same values as getUTCHours, getUTCMinutes, getUTCDay):
    // it runs for every slot that existing() counts.
    const day = Math.floor(t / DAY_MS);
    const ms = t - day * DAY_MS;
    const hour = Math.floor(ms / HOUR_MS) + Math.floor((ms % HOUR_MS) / 60_000) / 60;
    const weekday = (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
    const weekend = weekday === 0 || weekday === 6 ? 0.55 : 1;
    return (0.6 - 0.4 * Math.cos((2 * Math.PI * (hour - 4)) / 24)) * weekend;
  }

  private specOf(u: number): WorkflowSpec {
    const target = u * this.cumulative[this.cumulative.length - 1];
    return this.specs[this.cumulative.findIndex((c) => target < c)] ?? this.specs[this.specs.length - 1];
  }

  /**
   * Which of the slots [from, to) hold an execution (1) or not (0): plan(slot) !== null,
   * decided from the few draws it depends on (presence, and the retries aimed at the
   * slot), at about a quarter of plan()'s cost. Dense ids count these from slot 0.
   */
  existing(from: number, to: number): Uint8Array {
    const out = new Uint8Array(Math.max(0, to - from));
    // retryOwner() looks RETRY_REACH back, and hasIncoming() as far again.
    const lo = Math.max(0, from - 2 * RETRY_REACH);
    const present = new Uint8Array(Math.max(0, to - lo));
    const retryAt = new Float64Array(present.length).fill(-1);
    for (let slot = lo; slot < to; slot++) {
      // The draws of computeBase(), in its order; the ones not needed here are skipped.
      const r = streamFor(this.seed, slot);
      const start = Math.floor(this.epochMs + (slot + 0.9 * r()) * this.gapMs);
      if (!(r() < this.activity(start))) continue;
      present[slot - lo] = 1;
      const spec = this.specOf(r());
      const modeU = r(),
        outcomeU = r();
      const manual = spec.triggerMode !== "error" && modeU < (spec.manualRate ?? 0.05);
      // Only failed automatic runs can be retried (see computeBase); the rest need no more draws.
      if (manual || outcomeU >= spec.errorRate) continue;
      for (let k = 0; k < 5; k++) r(); // n1, n2, waitU, detailU, extraU
      const retryU = r(),
        retryGapU = r();
      if (retryU < 0.35) retryAt[slot - lo] = slot + 1 + Math.floor(retryGapU * RETRY_REACH);
    }
    const hasIncoming = (slot: number) => {
      for (let j = Math.max(lo, slot - RETRY_REACH); j < slot; j++) if (retryAt[j - lo] === slot) return true;
      return false;
    };
    for (let slot = Math.max(from, 0); slot < to; slot++) {
      let exists = present[slot - lo] === 1;
      for (let j = Math.max(lo, slot - RETRY_REACH); !exists && j < slot; j++)
        exists = retryAt[j - lo] === slot && !hasIncoming(j);
      out[slot - from] = exists ? 1 : 0;
    }
    return out;
  }

  /**
   * base() of recent slots, direct-mapped by slot: a page scan asks for each slot's
   * neighbours again and again. Fixed size, so memory stays flat.
   */
  private readonly cacheSlots = new Float64Array(256).fill(-1);
  private readonly cacheValues: Base[] = new Array(256);

  private base(slot: number): Base {
    const i = slot & 255;
    if (this.cacheSlots[i] === slot) return this.cacheValues[i];
    const b = this.computeBase(slot);
    this.cacheSlots[i] = slot;
    this.cacheValues[i] = b;
    return b;
  }

  private computeBase(slot: number): Base {
    // The draw order is fixed whatever the branches: changing it changes every execution.
    const r = streamFor(this.seed, slot);
    const start = Math.floor(this.epochMs + (slot + 0.9 * r()) * this.gapMs);
    const presentU = r(),
      specU = r(),
      modeU = r(),
      outcomeU = r(),
      n1 = r(),
      n2 = r();
    const waitU = r(),
      detailU = r(),
      extraU = r(),
      retryU = r(),
      retryGapU = r();
    const present = presentU < this.activity(start);
    const spec = this.specOf(specU);
    const manual = spec.triggerMode !== "error" && modeU < (spec.manualRate ?? 0.05);
    const mode = manual ? "manual" : spec.triggerMode;
    // Runs from the editor fail more: they are how people debug.
    const errorRate = spec.errorRate * (manual ? 2 : 1);
    const outcome: Outcome =
      outcomeU < errorRate
        ? "error"
        : outcomeU < errorRate + 0.004
          ? "crashed"
          : outcomeU < errorRate + 0.008
            ? "canceled"
            : "success";
    // Some failed automatic runs are retried by hand a few slots later.
    const retried = present && outcome === "error" && !manual && retryU < 0.35;
    const retryAt = retried ? slot + 1 + Math.floor(retryGapU * RETRY_REACH) : null;
    return { start, present, spec, mode, outcome, outcomeU, z: normal(n1, n2), waitU, detailU, extraU, retryAt };
  }

  /** A slot that some earlier run points its retry at (whether or not that run is itself a retry). */
  private hasIncoming(slot: number): boolean {
    for (let d = 1; d <= RETRY_REACH; d++) if (slot - d >= 0 && this.base(slot - d).retryAt === slot) return true;
    return false;
  }

  /** The original run whose retry occupies `slot`, or null. Retries are never retried. */
  private retryOwner(slot: number): number | null {
    for (let d = 1; d <= RETRY_REACH; d++) {
      const j = slot - d;
      if (j >= 0 && this.base(j).retryAt === slot && !this.hasIncoming(j)) return j;
    }
    return null;
  }

  plan(slot: number): Plan | null {
    if (slot < 0) return null;
    const b = this.base(slot);
    const owner = this.retryOwner(slot);
    if (!b.present && owner === null) return null;
    const spec = owner === null ? b.spec : this.base(owner).spec;
    const outcome: Outcome = owner === null ? b.outcome : b.outcomeU < 0.7 ? "success" : "error";
    const durationMs = Math.round(Math.min(45 * 60_000, Math.max(40, spec.medianMs * Math.exp(spec.sigma * b.z))));
    const waitRate = spec.waitRate ?? 0;
    const waits = outcome === "success" && b.waitU < waitRate;
    const [minH, maxH] = spec.waitHours ?? [1, 1];
    const waitMs = waits ? Math.round((minH + (b.waitU / waitRate) * (maxH - minH)) * HOUR_MS) : 0;
    let retrySlot: number | null = null;
    if (owner === null && b.retryAt !== null && !this.hasIncoming(slot) && this.retryOwner(b.retryAt) === slot) {
      retrySlot = b.retryAt;
    }
    // Listed field by field: a spread then overridden keys is ten times slower here.
    return {
      slot,
      start: b.start,
      spec,
      detailU: b.detailU,
      extraU: b.extraU,
      mode: owner === null ? b.mode : "retry",
      outcome,
      retryOf: owner,
      retrySlot,
      durationMs,
      waitMs,
    };
  }
}
