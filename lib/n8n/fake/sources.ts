import { buildRunData } from "./run-data";
import { streamFor } from "./random";
import type { FakeExecutionInput, FakeExecutionJson, FakeSource, FakeWorkflowInput, ListQuery } from "./types";
import { iso, workflowJson } from "./workflow-json";

/** `data` undefined: built from the workflow's nodes when first asked for. */
type Stored = { json: FakeExecutionJson; data: unknown };

/** Given data: exact executions that tests add and change between syncs. */
export class InMemorySource implements FakeSource {
  private readonly workflowList: FakeWorkflowInput[] = [];
  private readonly executions = new Map<number, Stored>();
  /** Ids newest first; rebuilt lazily after additions. */
  private order: number[] = [];
  private sorted = true;

  constructor(init: { workflows?: FakeWorkflowInput[]; executions?: FakeExecutionInput[] } = {}) {
    this.workflowList.push(...(init.workflows ?? []));
    this.addExecutions(...(init.executions ?? []));
  }

  addWorkflow(workflow: FakeWorkflowInput): void {
    this.workflowList.push(workflow);
  }

  /** Replaces the workflow with the same id (rename, re-tag, archive). */
  updateWorkflow(id: string, patch: Partial<Omit<FakeWorkflowInput, "id">>): void {
    const i = this.workflowList.findIndex((w) => w.id === id);
    if (i < 0) throw new Error(`no workflow ${id}`);
    this.workflowList[i] = { ...this.workflowList[i], ...patch };
  }

  addExecutions(...inputs: FakeExecutionInput[]): void {
    for (const input of inputs) {
      const id = Number(input.id);
      if (!Number.isSafeInteger(id) || id < 0)
        throw new Error(`execution id must be a non-negative integer: ${input.id}`);
      if (!this.executions.has(id)) this.order.push(id);
      this.executions.set(id, this.toStored(input));
    }
    this.sorted = false;
  }

  /** Changes an execution between calls (e.g. running, then finished). */
  updateExecution(id: number | string, patch: Partial<Omit<FakeExecutionInput, "id">>): void {
    const current = this.executions.get(Number(id));
    if (!current) throw new Error(`no execution ${id}`);
    const { json, data } = current;
    const merged: FakeExecutionInput = {
      id: json.id,
      workflowId: json.workflowId,
      status: json.status,
      mode: json.mode,
      startedAt: json.startedAt,
      stoppedAt: json.stoppedAt,
      retryOf: json.retryOf,
      retrySuccessId: json.retrySuccessId,
      waitTill: json.waitTill,
      customData: json.customData,
      data,
      ...patch,
    };
    // A new status means new run data, unless the patch brings its own.
    if (patch.status && !("data" in patch)) merged.data = undefined;
    if (patch.status && !("finished" in patch)) merged.finished = patch.status === "success";
    this.executions.set(Number(id), this.toStored(merged));
  }

  /** As n8n's pruning does. */
  removeExecution(id: number | string): void {
    this.executions.delete(Number(id));
    this.order = this.order.filter((x) => x !== Number(id));
  }

  workflows(): unknown[] {
    return this.workflowList.map(workflowJson);
  }

  listExecutions(q: ListQuery): FakeExecutionJson[] {
    if (!this.sorted) {
      this.order.sort((a, b) => b - a);
      this.sorted = true;
    }
    const out: FakeExecutionJson[] = [];
    for (const id of this.order) {
      if (out.length >= q.limit) break;
      if (q.beforeId !== null && id >= q.beforeId) continue;
      const stored = this.executions.get(id) as Stored;
      const e = stored.json;
      if (e.status === "running") continue;
      if (q.workflowId !== undefined && e.workflowId !== q.workflowId) continue;
      if (q.status !== undefined && e.status !== q.status) continue;
      out.push(q.includeData ? { ...e, data: this.dataOf(stored) } : e);
    }
    return out;
  }

  getExecution(id: number, options: { includeData: boolean }): FakeExecutionJson | null {
    const stored = this.executions.get(id);
    if (!stored) return null;
    return options.includeData ? { ...stored.json, data: this.dataOf(stored) } : stored.json;
  }

  private toStored(input: FakeExecutionInput): Stored {
    const optionalId = (v: number | string | null | undefined) => (v == null ? null : String(v));
    const json: FakeExecutionJson = {
      id: String(input.id),
      finished: input.finished ?? input.status === "success",
      mode: input.mode ?? "trigger",
      retryOf: optionalId(input.retryOf),
      retrySuccessId: optionalId(input.retrySuccessId),
      status: input.status,
      startedAt: iso(input.startedAt),
      stoppedAt: iso(input.stoppedAt),
      workflowId: input.workflowId,
      waitTill: iso(input.waitTill),
    };
    if (input.customData) json.customData = input.customData;
    return { json, data: input.data };
  }

  private dataOf(stored: Stored): unknown {
    if (stored.data !== undefined) return stored.data;
    const e = stored.json;
    const workflow = this.workflowList.find((w) => w.id === e.workflowId);
    const started = e.startedAt ? Date.parse(e.startedAt) : 0;
    const stopped = e.stoppedAt ? Date.parse(e.stoppedAt) : started;
    return buildRunData({
      nodes: workflow?.nodes ?? [],
      status: e.status,
      startedAt: started,
      durationMs: Math.max(0, stopped - started),
      rand: streamFor(Number(e.id), 0, 7),
    });
  }
}
