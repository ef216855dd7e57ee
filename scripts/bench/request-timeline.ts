import type { N8nRequestInfo } from "@/lib/n8n";

/**
 * Single-execution requests (`/executions/<id>`, the LLM run-data fetches) seen through
 * N8nClient's `onRequest`: how many, their mean time (request, body and schema check),
 * and the wall time during which at least one was in flight. Set as a client's
 * `onRequest`, it shows how much of the sync's LLM step is spent waiting for n8n.
 */
export class RequestTimeline {
  private starts: number[] = [];
  private ends: number[] = [];
  private totalMs = 0;

  readonly record = (info: N8nRequestInfo): void => {
    if (!/^\/executions\/[^/]+$/.test(info.path)) return;
    const end = performance.now();
    this.starts.push(end - info.ms);
    this.ends.push(end);
    this.totalMs += info.ms;
  };

  get count(): number {
    return this.ends.length;
  }

  meanMs(): number {
    return this.count === 0 ? 0 : this.totalMs / this.count;
  }

  /** Wall time with at least one request in flight (the union of their intervals). */
  busyMs(): number {
    const order = this.starts.map((_, i) => i).sort((a, b) => this.starts[a] - this.starts[b]);
    let busy = 0;
    let from = -Infinity;
    let to = -Infinity;
    for (const i of order) {
      if (this.starts[i] > to) {
        if (to > from) busy += to - from;
        [from, to] = [this.starts[i], this.ends[i]];
      } else {
        to = Math.max(to, this.ends[i]);
      }
    }
    return to > from ? busy + (to - from) : busy;
  }
}
