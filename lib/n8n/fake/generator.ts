import type { ExecutionStatus } from "@/lib/core/vocabulary";
import { DEFAULT_WORKFLOWS, type WorkflowSpec } from "./catalog";
import { pick, streamFor } from "./random";
import { buildRunData } from "./run-data";
import { SlotPlanner, type Plan } from "./slots";
import type { FakeExecutionJson, FakeSource, ListQuery } from "./types";
import { workflowJson } from "./workflow-json";
import { HOUR_MS, DAY_MS } from "@/lib/core/time";

export interface GeneratedSourceOptions {
  seed: number;
  workflows?: WorkflowSpec[];
  executionsPerHour: number;
  /** Only executions started this recently are served, as n8n prunes older ones. */
  historyDays: number;
  now?: () => Date;
  /** Id of the first execution at or after `epoch`; the later ones follow without gaps. */
  startId?: number;
  /**
   * Time of slot 0. Fixed (not "now - history") so an id names the same execution
   * across restarts: the demo keeps its database while the fake n8n restarts.
   */
  epoch?: Date;
  /** Fewer executions at night and at weekends: many slots hold none (default true). */
  dailyPattern?: boolean;
}

const BLOCK = 1024;
const CACHED_BLOCKS = 64;

/**
 * Dense ids, as n8n's database sequence allocates them: the k-th slot that holds an
 * execution, counting from slot 0, gets id startId + k. Whether a slot holds one depends
 * only on it and earlier slots, so an id never moves as time passes, history is pruned
 * or the process restarts. Per block of BLOCK slots: a prefix count of executions, grown
 * lazily up to the newest block asked for (counted once from the epoch, ~0.2 µs a slot:
 * ~0.3 s for the demo in late 2026), and the rank of each slot in the CACHED_BLOCKS
 * blocks last used (128 kB, over 30 days of the demo: getExecution rarely recounts).
 */
class DenseIds {
  /** prefix[b]: executions in the slots before block b. */
  private readonly prefix: number[] = [0];
  private readonly cachedBlocks = new Float64Array(CACHED_BLOCKS).fill(-1);
  private readonly cachedRanks: Uint16Array[] = new Array(CACHED_BLOCKS);

  /** `everySlot`: without the daily pattern every slot holds one, so rank = slot. */
  constructor(
    private readonly slots: SlotPlanner,
    private readonly everySlot: boolean,
  ) {}

  /** Executions in the slots before `slot` (>= 0): the rank of its own, if it holds one. */
  rank(slot: number): number {
    if (this.everySlot) return slot;
    const block = Math.floor(slot / BLOCK);
    this.grow(block);
    return this.prefix[block] + this.ranks(block)[slot - block * BLOCK];
  }

  /** The slot holding the execution of rank k, or null if it comes after `maxSlot`. */
  select(k: number, maxSlot: number): number | null {
    if (k < 0 || maxSlot < 0) return null;
    if (this.everySlot) return k <= maxSlot ? k : null;
    const maxBlock = Math.floor(maxSlot / BLOCK);
    this.grow(maxBlock + 1);
    if (k >= this.prefix[maxBlock + 1]) return null;
    // The block b with prefix[b] <= k < prefix[b + 1].
    let [lo, hi] = [0, maxBlock];
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.prefix[mid] <= k) lo = mid;
      else hi = mid - 1;
    }
    const ranks = this.ranks(lo);
    const target = k - this.prefix[lo];
    // The offset i where the rank steps from target to target + 1.
    let [a, b] = [0, BLOCK - 1];
    while (a < b) {
      const mid = (a + b) >> 1;
      if (ranks[mid + 1] <= target) a = mid + 1;
      else b = mid;
    }
    const slot = lo * BLOCK + a;
    return slot <= maxSlot ? slot : null;
  }

  private grow(block: number): void {
    while (this.prefix.length <= block) {
      const b = this.prefix.length - 1;
      this.prefix.push(this.prefix[b] + this.ranks(b)[BLOCK]);
    }
  }

  /** ranks[i]: executions in the block's slots before offset i (BLOCK + 1 entries). */
  private ranks(block: number): Uint16Array {
    const i = block % CACHED_BLOCKS;
    if (this.cachedBlocks[i] === block) return this.cachedRanks[i];
    const existing = this.slots.existing(block * BLOCK, (block + 1) * BLOCK);
    const ranks = new Uint16Array(BLOCK + 1);
    for (let j = 0; j < BLOCK; j++) ranks[j + 1] = ranks[j] + existing[j];
    this.cachedBlocks[i] = block;
    this.cachedRanks[i] = ranks;
    return ranks;
  }
}

/**
 * Executions computed, not stored: slot i starts at epoch + (i + jitter) * gap, and all
 * its fields are a pure function of (seed, i) and the current time (which decides
 * whether it is still running or waiting); ids are dense (DenseIds). A page costs
 * O(limit), whatever the total, so the 200,000-execution benchmark and a 30-day demo
 * cost the same memory.
 */
export class GeneratedSource implements FakeSource {
  private readonly seed: number;
  private readonly specs: WorkflowSpec[];
  private readonly slots: SlotPlanner;
  private readonly ids: DenseIds;
  private readonly historyMs: number;
  private readonly epochMs: number;
  private readonly startId: number;
  private readonly clock: () => Date;

  constructor(o: GeneratedSourceOptions) {
    if (!(o.executionsPerHour > 0) || !(o.historyDays > 0))
      throw new Error("executionsPerHour and historyDays must be > 0");
    this.seed = o.seed;
    this.specs = o.workflows ?? DEFAULT_WORKFLOWS;
    this.historyMs = o.historyDays * DAY_MS;
    this.epochMs = (o.epoch ?? new Date("2024-01-01T00:00:00Z")).getTime();
    this.startId = o.startId ?? 1;
    this.clock = o.now ?? (() => new Date());
    const dailyPattern = o.dailyPattern ?? true;
    this.slots = new SlotPlanner(o.seed, this.specs, HOUR_MS / o.executionsPerHour, this.epochMs, dailyPattern);
    this.ids = new DenseIds(this.slots, !dailyPattern);
  }

  now(): Date {
    return this.clock();
  }

  workflows(): unknown[] {
    return this.specs.map((spec, i) => {
      const createdAt = new Date(this.epochMs - (i + 2) * 7 * DAY_MS);
      const updatedAt = new Date(createdAt.getTime() + 3 * DAY_MS);
      return workflowJson({ ...spec, createdAt, updatedAt });
    });
  }

  listExecutions(q: ListQuery): FakeExecutionJson[] {
    const now = q.now.getTime();
    const first = this.slots.firstSlot(now - this.historyMs);
    let slot = this.slots.lastSlot(now);
    if (q.beforeId !== null) {
      // The newest slot whose id is below beforeId; all of them when that id is not out yet.
      const k = q.beforeId - 1 - this.startId;
      if (k < 0) return [];
      slot = this.ids.select(k, slot) ?? slot;
    }
    const out: FakeExecutionJson[] = [];
    for (; slot >= first && out.length < q.limit; slot--) {
      const plan = this.slots.plan(slot);
      if (!plan || (q.workflowId !== undefined && plan.spec.id !== q.workflowId)) continue;
      const json = this.render(plan, now, q.includeData);
      // Running executions are left out of the list, as n8n does.
      if (json.status === "running" || (q.status !== undefined && json.status !== q.status)) continue;
      out.push(json);
    }
    return out;
  }

  getExecution(id: number, options: { includeData: boolean; now: Date }): FakeExecutionJson | null {
    const now = options.now.getTime();
    // Null for an id not allocated yet at `now`, as for a pruned one.
    const slot = this.ids.select(id - this.startId, this.slots.lastSlot(now));
    if (slot === null || slot < this.slots.firstSlot(now - this.historyMs)) return null;
    const plan = this.slots.plan(slot);
    return plan ? this.render(plan, now, options.includeData) : null;
  }

  /** Executions the list serves at `now` (O(total): for tests and the benchmark's check). */
  countListed(now: Date = this.clock()): number {
    let n = 0;
    for (let id: number | null = null; ;) {
      const page = this.listExecutions({ beforeId: id, limit: 10_000, includeData: false, now });
      n += page.length;
      if (page.length < 10_000) return n;
      id = Number(page[page.length - 1].id);
    }
  }

  /** The id of the execution in `slot` (one that holds an execution). */
  private idOf(slot: number): string {
    return String(this.startId + this.ids.rank(slot));
  }

  /** The execution as n8n shows it at `now`: running, waiting, or finished. */
  private render(p: Plan, now: number, includeData: boolean): FakeExecutionJson {
    let status: ExecutionStatus = p.outcome;
    let stoppedAt: number | null;
    let waitTill: number | null = null;
    if (p.waitMs > 0) {
      // Runs up to the Wait node, waits, then resumes for the rest of its work.
      const firstStop = p.start + Math.round(p.durationMs * 0.3);
      const resume = firstStop + p.waitMs;
      const finalStop = resume + p.durationMs - Math.round(p.durationMs * 0.3);
      if (now < firstStop || (now >= resume && now < finalStop)) [status, stoppedAt] = ["running", null];
      else if (now < resume) [status, stoppedAt, waitTill] = ["waiting", firstStop, resume];
      else stoppedAt = finalStop;
    } else {
      stoppedAt = p.start + p.durationMs;
      if (now < stoppedAt) [status, stoppedAt] = ["running", null];
    }
    const retry = p.retrySlot === null ? null : this.slots.plan(p.retrySlot);
    const retrySucceeded = retry !== null && this.render(retry, now, false).status === "success";
    const json: FakeExecutionJson = {
      id: this.idOf(p.slot),
      finished: status === "success",
      mode: p.mode,
      retryOf: p.retryOf === null ? null : this.idOf(p.retryOf),
      retrySuccessId: retrySucceeded && p.retrySlot !== null ? this.idOf(p.retrySlot) : null,
      status,
      startedAt: new Date(p.start).toISOString(),
      stoppedAt: stoppedAt === null ? null : new Date(stoppedAt).toISOString(),
      workflowId: p.spec.id,
      waitTill: waitTill === null ? null : new Date(waitTill).toISOString(),
    };
    if (p.extraU < 0.15) json.customData = { source: p.extraU < 0.05 ? "shop-eu" : "shop-us" };
    // Half the executions carry fields of newer n8n versions, which the client must ignore.
    if (p.extraU >= 0.5) Object.assign(json, { storedAt: "db", jsonSizeBytes: 2_000 + Math.round(p.extraU * 40_000) });
    if (includeData) {
      json.data = buildRunData({
        nodes: p.spec.nodes ?? [],
        status,
        startedAt: p.start,
        durationMs: (stoppedAt ?? now) - p.start,
        rand: streamFor(this.seed, p.slot, 1),
        error: status === "error" && p.spec.errors.length > 0 ? pick(p.spec.errors, p.detailU) : undefined,
        waitTill,
      });
    }
    return json;
  }
}

/** The demo's n8n: 30 days of history, about 20,000 executions, growing in real time. */
export function createDemoSource(now?: () => Date): GeneratedSource {
  return new GeneratedSource({ seed: 42, executionsPerHour: 60, historyDays: 30, now });
}
