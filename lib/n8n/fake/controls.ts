import type { WorkflowSpec } from "./catalog";
import { ControlError } from "./control-error";
import { isFinalStatus, type Injected, type InjectedExecutions } from "./injected";
import type { OverrideKind, Overrides } from "./overrides";
import type { FakeControls, FakeControlState, FakeExecutionJson, InjectExecutionsInput } from "./types";

/** What the controls need from the generated source. */
export interface ControlHost {
  /** The source's clock, epoch ms. */
  now(): number;
  /** The workflow with this id; throws for an unknown one. */
  spec(workflowId: string): WorkflowSpec;
  overrides: Overrides;
  injected: InjectedExecutions;
  /** The id an execution added at `now` takes, and the first slot whose run comes after it. */
  nextId(now: number): { id: number; boundary: number };
  /** Runs starting after t changed (a stop): forget what was counted of them. */
  changedAfter(t: number): void;
  render(e: Injected, includeData: boolean): FakeExecutionJson;
}

/**
 * The generated source's controls (FakeControls): they act from the source's clock on,
 * never before it, so what n8n has already shown never changes. Injected executions
 * must be added in time order, as n8n allocates ids.
 */
export class GeneratedControls implements FakeControls {
  private lastInjection = Number.NEGATIVE_INFINITY;

  constructor(private readonly host: ControlHost) {}

  failWorkflow(workflowId: string, on = true, at?: Date): void {
    this.switch("fail", workflowId, on, at);
  }

  stopWorkflow(workflowId: string, on = true, at?: Date): void {
    if (this.switch("stop", workflowId, on, at)) this.host.changedAfter(this.when(at));
  }

  injectExecutions(input: InjectExecutionsInput): FakeExecutionJson[] {
    const spec = this.host.spec(input.workflowId);
    const now = this.host.now();
    if (now < this.lastInjection) throw new ControlError("executions are injected in time order: the clock went back");
    this.lastInjection = now;
    const { id, boundary } = this.host.nextId(now);
    return this.host.injected.add(input, spec, id, boundary, now).map((e) => this.host.render(e, false));
  }

  finishExecution(id: number | string, status: string = "success", at?: Date): FakeExecutionJson {
    if (!isFinalStatus(status)) throw new ControlError(`${status} is not a final status`);
    return this.host.injected.finish(Number(id), status, this.when(at));
  }

  state(): FakeControlState {
    const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
    return {
      now: new Date(this.host.now()).toISOString(),
      spans: this.host.overrides
        .list()
        .map((s) => ({ workflowId: s.workflowId, kind: s.kind, from: iso(s.from) as string, to: iso(s.to) })),
      injected: this.host.injected.all.map((e) => this.host.render(e, false)),
    };
  }

  private switch(kind: OverrideKind, workflowId: string, on: boolean, at: Date | undefined): boolean {
    this.host.spec(workflowId);
    return this.host.overrides.set(kind, workflowId, on, this.when(at));
  }

  /** `at`, or now; never earlier than now. */
  private when(at: Date | undefined): number {
    const now = this.host.now();
    const t = at?.getTime() ?? now;
    if (!Number.isFinite(t)) throw new ControlError("`at` is not a date");
    if (t < now) throw new ControlError("controls act from now on: what n8n has shown does not change");
    return t;
  }
}
