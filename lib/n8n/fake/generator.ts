import type { ExecutionStatus } from "@/lib/core/vocabulary";
import { DEFAULT_WORKFLOWS, type WorkflowSpec } from "./catalog";
import { ControlError } from "./control-error";
import { GeneratedControls } from "./controls";
import { DenseIds } from "./dense-ids";
import { InjectedExecutions } from "./injected";
import { Overrides } from "./overrides";
import { pick, streamFor } from "./random";
import { buildRunData } from "./run-data";
import { ScheduleClaims } from "./schedules";
import { SlotPlanner, type Plan } from "./slots";
import type { FakeControls, FakeExecutionJson, FakeSource, ListQuery } from "./types";
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
  /** The instance's zone (n8n's GENERIC_TIMEZONE): schedules of workflows without their own (default UTC). */
  timeZone?: string;
}

/**
 * Executions computed, not stored: slot i starts at epoch + (i + jitter) * gap, or on a
 * schedule's fire time (schedules.ts), and all its fields are a pure function of
 * (seed, i), the controls and the current time (which decides whether it is still
 * running or waiting); ids are dense (DenseIds). A page costs O(limit), whatever the
 * total, so the 200,000-execution benchmark and a 30-day demo cost the same memory.
 * `controls` fail or stop a workflow from now on and inject executions (controls.ts).
 */
export class GeneratedSource implements FakeSource {
  readonly controls: FakeControls;
  private readonly seed: number;
  private readonly specs: WorkflowSpec[];
  private readonly slots: SlotPlanner;
  private readonly ids: DenseIds;
  private readonly overrides = new Overrides();
  private readonly injected: InjectedExecutions;
  private readonly historyMs: number;
  private readonly epochMs: number;
  private readonly gapMs: number;
  private readonly startId: number;
  private readonly clock: () => Date;

  constructor(o: GeneratedSourceOptions) {
    if (!(o.executionsPerHour > 0) || !(o.historyDays > 0))
      throw new Error("executionsPerHour and historyDays must be > 0");
    this.seed = o.seed;
    this.specs = o.workflows ?? DEFAULT_WORKFLOWS;
    this.historyMs = o.historyDays * DAY_MS;
    this.epochMs = (o.epoch ?? new Date("2024-01-01T00:00:00Z")).getTime();
    this.gapMs = HOUR_MS / o.executionsPerHour;
    this.startId = o.startId ?? 1;
    this.clock = o.now ?? (() => new Date());
    const claims = new ScheduleClaims(this.specs, o.timeZone ?? "UTC", this.epochMs, this.gapMs);
    const slots = new SlotPlanner(
      o.seed,
      this.specs,
      this.gapMs,
      this.epochMs,
      o.dailyPattern ?? true,
      claims,
      this.overrides,
    );
    this.slots = slots;
    this.ids = new DenseIds(slots, () => slots.everySlot);
    this.injected = new InjectedExecutions(o.seed);
    this.controls = new GeneratedControls({
      now: () => this.clock().getTime(),
      spec: (id) => {
        const spec = this.specs.find((s) => s.id === id);
        if (!spec) throw new ControlError(`no workflow ${id}`, 404);
        return spec;
      },
      overrides: this.overrides,
      injected: this.injected,
      nextId: (now) => {
        const boundary = this.slots.lastSlot(now) + 1;
        return { id: this.startId + this.ids.rank(boundary) + this.injected.countBefore(boundary), boundary };
      },
      // Runs starting after t change: what was counted from its slot on is counted again.
      changedAfter: (t) => this.ids.invalidateFrom(Math.floor((t - this.epochMs) / this.gapMs)),
      render: (e, includeData) => this.injected.render(e, includeData),
    });
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
    const below = q.beforeId ?? Number.POSITIVE_INFINITY;
    if (q.beforeId !== null) {
      // The newest slot whose id is below beforeId; all of them when that id is not out yet.
      const k = q.beforeId - 1 - this.startId - this.injected.countBelow(q.beforeId);
      slot = k < 0 ? -1 : (this.ids.select(k, slot) ?? slot);
    }
    const matches = (e: FakeExecutionJson) =>
      // Running executions are left out of the list, as n8n does.
      e.status !== "running" &&
      (q.workflowId === undefined || e.workflowId === q.workflowId) &&
      (q.status === undefined || e.status === q.status);
    const out: FakeExecutionJson[] = [];
    for (; slot >= first && out.length < q.limit; slot--) {
      const plan = this.slots.plan(slot);
      if (!plan || (q.workflowId !== undefined && plan.spec.id !== q.workflowId)) continue;
      const json = this.render(plan, now, q.includeData);
      if (matches(json)) out.push(json);
    }
    const injected = this.injected.all.filter((e) => e.id < below && matches(e.json));
    if (injected.length === 0) return out;
    return [...out, ...injected.map((e) => this.injected.render(e, q.includeData))]
      .sort((a, b) => Number(b.id) - Number(a.id))
      .slice(0, q.limit);
  }

  getExecution(id: number, options: { includeData: boolean; now: Date }): FakeExecutionJson | null {
    const injected = this.injected.byId(id);
    if (injected) return this.injected.render(injected, options.includeData);
    const now = options.now.getTime();
    // Null for an id not allocated yet at `now`, as for a pruned one.
    const k = id - this.startId - this.injected.countBelow(id);
    const slot = this.ids.select(k, this.slots.lastSlot(now));
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
    return String(this.startId + this.ids.rank(slot) + this.injected.countBefore(slot));
  }

  /** The execution as n8n shows it at `now`: running, waiting, or finished. */
  private render(p: Plan, now: number, includeData: boolean): FakeExecutionJson {
    // A failing workflow (the fail control) fails at the end of its usual run, without waiting.
    const failing = this.overrides.failing(p.spec.id, p.start);
    let status: ExecutionStatus = failing ? "error" : p.outcome;
    let stoppedAt: number | null;
    let waitTill: number | null = null;
    if (p.waitMs > 0 && !failing) {
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

/** The demo's n8n: 30 days of history, about 25,000 executions, growing in real time. */
export function createDemoSource(now?: () => Date): GeneratedSource {
  return new GeneratedSource({ seed: 42, executionsPerHour: 60, historyDays: 30, now });
}
