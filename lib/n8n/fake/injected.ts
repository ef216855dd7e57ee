import type { WorkflowSpec } from "./catalog";
import { ControlError } from "./control-error";
import { pick, streamFor } from "./random";
import { buildRunData } from "./run-data";
import type { FakeExecutionJson, InjectExecutionsInput } from "./types";
import { iso } from "./workflow-json";

/**
 * Executions added by hand to the generated source (its injectExecutions control), for
 * what a schedule never produces: a run stuck `running` since long ago, a `waiting` one
 * past its waitTill, or a burst of failures right now. Each takes the next id at the
 * moment it is added, as n8n's sequence would; the generated runs that start later move
 * up by one, and none of them has been shown yet. They stay as added (n8n's pruning
 * never takes them) until finishExecution settles one.
 */
export interface Injected {
  id: number;
  /** The first slot after the moment it was added: its generated runs come after it. */
  boundary: number;
  json: FakeExecutionJson;
  spec: WorkflowSpec;
}

const STATUSES = ["success", "error", "crashed", "canceled", "running", "waiting"] as const;
type InjectableStatus = (typeof STATUSES)[number];
const FINAL = ["success", "error", "crashed", "canceled"] as const;
type FinalStatus = (typeof FINAL)[number];

export class InjectedExecutions {
  /** Ascending ids (each added after the others). */
  readonly all: Injected[] = [];

  constructor(private readonly seed: number) {}

  /** Injected executions with an id below `id`. */
  countBelow(id: number): number {
    let n = 0;
    for (const e of this.all) if (e.id < id) n++;
    return n;
  }

  /** Injected executions that take an id before the generated run in `slot`. */
  countBefore(slot: number): number {
    let n = 0;
    for (const e of this.all) if (e.boundary <= slot) n++;
    return n;
  }

  byId(id: number): Injected | undefined {
    return this.all.find((e) => e.id === id);
  }

  /**
   * Adds `count` executions (1 s apart, the last one newest) with ids from `firstId` on.
   * Finished ones end now unless `startedAt` says when they started; running and waiting
   * ones start now unless told otherwise.
   */
  add(input: InjectExecutionsInput, spec: WorkflowSpec, firstId: number, boundary: number, now: number): Injected[] {
    const status = input.status as InjectableStatus;
    if (!STATUSES.includes(status)) throw new ControlError(`cannot inject an execution with status ${input.status}`);
    const count = input.count ?? 1;
    if (!Number.isInteger(count) || count < 1 || count > 1_000)
      throw new ControlError("count must be a whole number from 1 to 1000");
    const durationMs = input.durationMs ?? Math.round(spec.medianMs);
    const finished = (FINAL as readonly string[]).includes(status);
    const lastStart =
      input.startedAt !== undefined ? Date.parse(String(iso(input.startedAt))) : finished ? now - durationMs : now;
    if (!Number.isFinite(lastStart)) throw new ControlError(`startedAt is not a date: ${String(input.startedAt)}`);
    const added: Injected[] = [];
    for (let i = 0; i < count; i++) {
      const start = lastStart - (count - 1 - i) * 1_000;
      const waitTill = status === "waiting" ? (iso(input.waitTill) ?? new Date(now + 3_600_000).toISOString()) : null;
      const json: FakeExecutionJson = {
        id: String(firstId + i),
        finished: status === "success",
        mode: input.mode ?? (spec.triggerMode === "error" ? "error" : spec.triggerMode),
        retryOf: null,
        retrySuccessId: null,
        status,
        startedAt: new Date(start).toISOString(),
        // n8n gives a waiting execution the time it parked on its Wait node.
        stoppedAt: status === "running" ? null : new Date(start + durationMs).toISOString(),
        workflowId: spec.id,
        waitTill,
      };
      const entry = { id: firstId + i, boundary, json, spec };
      this.all.push(entry);
      added.push(entry);
    }
    return added;
  }

  /** Settles a running or waiting injected execution, as n8n does when it ends. */
  finish(id: number, status: FinalStatus, at: number): FakeExecutionJson {
    const e = this.byId(id);
    if (!e) throw new ControlError(`execution ${id} was not injected: only injected executions can be finished`, 404);
    if (!(FINAL as readonly string[]).includes(status)) throw new ControlError(`${status} is not a final status`);
    e.json = {
      ...e.json,
      status,
      finished: status === "success",
      stoppedAt: new Date(at).toISOString(),
      waitTill: null,
    };
    return e.json;
  }

  /** The execution as served, with run data when asked. */
  render(e: Injected, includeData: boolean): FakeExecutionJson {
    if (!includeData) return e.json;
    const started = Date.parse(e.json.startedAt as string);
    const stopped = e.json.stoppedAt ? Date.parse(e.json.stoppedAt) : started;
    const rand = streamFor(this.seed, e.id, 9);
    const data = buildRunData({
      nodes: e.spec.nodes ?? [],
      status: e.json.status,
      startedAt: started,
      durationMs: Math.max(0, stopped - started),
      rand,
      error: e.json.status === "error" && e.spec.errors.length > 0 ? pick(e.spec.errors, rand()) : undefined,
      waitTill: e.json.waitTill ? Date.parse(e.json.waitTill) : null,
    });
    return { ...e.json, data };
  }
}

export function isFinalStatus(status: string): status is FinalStatus {
  return (FINAL as readonly string[]).includes(status);
}
