import type { WorkflowSpec } from "./catalog";
import type { Overrides } from "./overrides";
import { normal, streamFor } from "./random";
import { isScheduled, type ScheduleClaims } from "./schedules";
import { HOUR_MS, DAY_MS } from "@/lib/core/time";

/**
 * The generated source's arithmetic: slot i starts at epoch + (i + jitter) * gap, and
 * what runs in it is drawn from its own random stream; a slot a schedule claims
 * (schedules.ts) holds that workflow's run instead, starting on its fire time.
 * Everything here is a pure function of (seed, slot) and the controls, so any slot is
 * computed alone, in any order.
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

/** A run started by hand from the editor (error workflows never are). */
const isManual = (spec: WorkflowSpec, modeU: number) =>
  spec.triggerMode !== "error" && modeU < (spec.manualRate ?? 0.05);

const cumulativeOf = (specs: WorkflowSpec[]) => {
  let sum = 0;
  return specs.map((s) => (sum += s.weight));
};

export class SlotPlanner {
  private readonly cumulative: number[];
  /** Workflows without a schedule: a slot drawn for a scheduled one's automatic run goes to one of these. */
  private readonly free: WorkflowSpec[];
  private readonly freeCumulative: number[];

  constructor(
    private readonly seed: number,
    private readonly specs: WorkflowSpec[],
    private readonly gapMs: number,
    private readonly epochMs: number,
    private readonly dailyPattern: boolean,
    private readonly claims: ScheduleClaims,
    private readonly overrides: Overrides,
  ) {
    this.cumulative = cumulativeOf(specs);
    if (this.cumulative[this.cumulative.length - 1] <= 0) throw new Error("at least one workflow needs a weight > 0");
    this.free = specs.filter((s) => !isScheduled(s));
    this.freeCumulative = cumulativeOf(this.free);
  }

  /** Whether every slot holds an execution (then a slot's rank is its number). */
  get everySlot(): boolean {
    const freeWeight = this.freeCumulative[this.freeCumulative.length - 1] ?? 0;
    return !this.dailyPattern && !this.overrides.anyStop && (freeWeight > 0 || !this.claims.any);
  }

  startOf(slot: number): number {
    return this.claims.at(slot)?.start ?? this.jittered(slot, streamFor(this.seed, slot)());
  }

  private jittered(slot: number, u: number): number {
    return Math.floor(this.epochMs + (slot + 0.9 * u) * this.gapMs);
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

  private specOf(u: number, specs: WorkflowSpec[], cumulative: number[]): WorkflowSpec {
    const target = u * cumulative[cumulative.length - 1];
    return specs[cumulative.findIndex((c) => target < c)] ?? specs[specs.length - 1];
  }

  /**
   * The workflow of an unclaimed slot's run. A scheduled workflow runs by hand here (its
   * manual share); its automatic runs come only from its schedule, so such a draw goes to
   * a workflow without one. Null when there is none.
   */
  private drawSpec(specU: number, modeU: number): WorkflowSpec | null {
    const picked = this.specOf(specU, this.specs, this.cumulative);
    if (!isScheduled(picked) || isManual(picked, modeU)) return picked;
    if ((this.freeCumulative[this.freeCumulative.length - 1] ?? 0) <= 0) return null;
    return this.specOf(specU, this.free, this.freeCumulative);
  }

  /** The slot a failed run's retry aims at, unless a scheduled run holds it. */
  private retryTarget(slot: number, retryGapU: number, claimed: (slot: number) => boolean): number | null {
    const target = slot + 1 + Math.floor(retryGapU * RETRY_REACH);
    return claimed(target) ? null : target;
  }

  /**
   * Which of the slots [from, to) hold an execution (1) or not (0): plan(slot) !== null,
   * decided from the few draws it depends on (presence, workflow, and the retries aimed
   * at the slot), at about a quarter of plan()'s cost. Dense ids count these from slot 0.
   */
  existing(from: number, to: number): Uint8Array {
    const out = new Uint8Array(Math.max(0, to - from));
    // The retry owner is looked for RETRY_REACH back, and its own incoming retries as far again.
    const lo = Math.max(0, from - 2 * RETRY_REACH);
    const n = Math.max(0, to - lo);
    const claims = this.claims.between(lo, to + RETRY_REACH);
    const specAt: Array<WorkflowSpec | undefined> = new Array(n);
    const startAt = new Float64Array(n);
    const retryAt = new Float64Array(n).fill(-1);
    for (let slot = lo; slot < to; slot++) {
      // The draws of computeBase(), in its order; the ones not needed here are skipped.
      const r = streamFor(this.seed, slot);
      const jitterU = r();
      const claim = claims.get(slot);
      const start = claim?.start ?? this.jittered(slot, jitterU);
      startAt[slot - lo] = start;
      const presentU = r();
      if (!claim && !(presentU < this.activity(start))) continue;
      const specU = r(),
        modeU = r(),
        outcomeU = r();
      const spec = claim ? claim.spec : this.drawSpec(specU, modeU);
      if (!spec) continue;
      specAt[slot - lo] = spec;
      // Only failed automatic runs can be retried (see computeBase); the rest need no more draws.
      if ((!claim && isManual(spec, modeU)) || outcomeU >= spec.errorRate) continue;
      for (let k = 0; k < 5; k++) r(); // n1, n2, waitU, detailU, extraU
      const retryU = r(),
        retryGapU = r();
      if (retryU < 0.35) retryAt[slot - lo] = this.retryTarget(slot, retryGapU, (s) => claims.has(s)) ?? -1;
    }
    const hasIncoming = (slot: number) => {
      for (let j = Math.max(lo, slot - RETRY_REACH); j < slot; j++) if (retryAt[j - lo] === slot) return true;
      return false;
    };
    for (let slot = Math.max(from, 0); slot < to; slot++) {
      let spec = specAt[slot - lo];
      let ownerStart: number | null = null;
      // An earlier run's retry takes the slot, the nearest first (as retryOwner()).
      for (let j = slot - 1; j >= Math.max(lo, slot - RETRY_REACH); j--) {
        if (retryAt[j - lo] === slot && !hasIncoming(j)) {
          spec = specAt[j - lo];
          ownerStart = startAt[j - lo];
          break;
        }
      }
      const stopped =
        spec !== undefined &&
        (this.overrides.stopped(spec.id, startAt[slot - lo]) ||
          (ownerStart !== null && this.overrides.stopped(spec.id, ownerStart)));
      out[slot - from] = spec !== undefined && !stopped ? 1 : 0;
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
    const jitterU = r();
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
    const claim = this.claims.at(slot);
    const start = claim?.start ?? this.jittered(slot, jitterU);
    const drawn = claim ? claim.spec : presentU < this.activity(start) ? this.drawSpec(specU, modeU) : null;
    const present = drawn !== null;
    const spec = drawn ?? this.specOf(specU, this.specs, this.cumulative);
    const manual = present && !claim && isManual(spec, modeU);
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
    const retryAt = retried ? this.retryTarget(slot, retryGapU, (s) => this.claims.at(s) !== null) : null;
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
    // A stopped workflow starts nothing: neither runs nor the retries of runs from before.
    if (this.overrides.stopped(spec.id, b.start)) return null;
    if (owner !== null && this.overrides.stopped(spec.id, this.base(owner).start)) return null;
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
