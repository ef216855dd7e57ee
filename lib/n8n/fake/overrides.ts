/**
 * The generated source's fail and stop switches: per workflow, the spans of time in which
 * every run that starts fails, or no run starts. A span opens at the moment it is
 * switched on and closes when switched off; it only ever covers runs not started yet,
 * so nothing n8n has already shown changes.
 */
export type OverrideKind = "fail" | "stop";

export interface OverrideSpan {
  workflowId: string;
  kind: OverrideKind;
  /** Epoch ms: runs starting after this are affected. */
  from: number;
  /** Epoch ms: runs starting after this are not; null while switched on. */
  to: number | null;
}

export class Overrides {
  private readonly spans: OverrideSpan[] = [];
  private stops = 0;

  /** Opens or closes a span at `at`; false when it was already so. */
  set(kind: OverrideKind, workflowId: string, on: boolean, at: number): boolean {
    const open = this.spans.find((s) => s.kind === kind && s.workflowId === workflowId && s.to === null);
    if (on === (open !== undefined)) return false;
    if (open) open.to = at;
    else this.spans.push({ workflowId, kind, from: at, to: null });
    if (kind === "stop") this.stops++;
    return true;
  }

  /** Whether any workflow was ever stopped (slots may then hold nothing). */
  get anyStop(): boolean {
    return this.stops > 0;
  }

  failing(workflowId: string, start: number): boolean {
    return this.spans.length > 0 && this.covers("fail", workflowId, start);
  }

  stopped(workflowId: string, start: number): boolean {
    return this.stops > 0 && this.covers("stop", workflowId, start);
  }

  list(): OverrideSpan[] {
    return this.spans.map((s) => ({ ...s }));
  }

  private covers(kind: OverrideKind, workflowId: string, start: number): boolean {
    for (const s of this.spans) {
      if (s.kind === kind && s.workflowId === workflowId && start > s.from && (s.to === null || start <= s.to)) {
        return true;
      }
    }
    return false;
  }
}
