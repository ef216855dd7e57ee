/**
 * Failures the fake n8n can inject, as busy instances and proxies produce them. Each
 * switch arms a number of requests; each request consumes at most one failure (the
 * earliest armed that matches its path), so `serverErrors(2)` then `html(1)` answers
 * 500, 500, HTML, then normally. `fired` counts what was served, for assertions.
 */
export type FaultKind = "serverError" | "rateLimit" | "delay" | "truncated" | "html";

export interface FaultScope {
  /** Only requests whose path starts with this, e.g. "/api/v1/executions". */
  path?: string;
}

export interface ArmedFault {
  kind: Exclude<FaultKind, "delay">;
  remaining: number;
  path?: string;
  status?: number;
  retryAfterSeconds?: number;
}

interface ArmedDelay {
  ms: number;
  remaining: number;
  path?: string;
}

const zero = (): Record<FaultKind, number> => ({ serverError: 0, rateLimit: 0, delay: 0, truncated: 0, html: 0 });

export class Faults {
  private armed: ArmedFault[] = [];
  private delays: ArmedDelay[] = [];
  /** How many requests each kind of fault has hit since the last reset. */
  fired = zero();

  /** The next `n` requests answer `status` (5xx) without doing anything. */
  serverErrors(n: number, status = 500, scope: FaultScope = {}): this {
    this.armed.push({ kind: "serverError", remaining: n, status, path: scope.path });
    return this;
  }

  /** The next `n` requests answer 429 with `Retry-After: retryAfterSeconds`. */
  rateLimit(n: number, retryAfterSeconds: number, scope: FaultScope = {}): this {
    this.armed.push({ kind: "rateLimit", remaining: n, retryAfterSeconds, path: scope.path });
    return this;
  }

  /** Requests wait `ms` before being answered: every request until reset, or `times` of them. */
  delay(ms: number, scope: FaultScope & { times?: number } = {}): this {
    this.delays.push({ ms, remaining: scope.times ?? Number.POSITIVE_INFINITY, path: scope.path });
    return this;
  }

  /** The next `n` answers are the real JSON cut in half, with status 200. */
  truncated(n: number, scope: FaultScope = {}): this {
    this.armed.push({ kind: "truncated", remaining: n, path: scope.path });
    return this;
  }

  /** The next `n` answers are a proxy's HTML page with status 200. */
  html(n: number, scope: FaultScope = {}): this {
    this.armed.push({ kind: "html", remaining: n, path: scope.path });
    return this;
  }

  reset(): this {
    this.armed = [];
    this.delays = [];
    this.fired = zero();
    return this;
  }

  /** Server side: the delay and the failure of one request, consuming them. */
  take(path: string): { delayMs: number; fault: ArmedFault | null } {
    const matches = (f: { path?: string; remaining: number }) =>
      f.remaining > 0 && (f.path === undefined || path.startsWith(f.path));
    const delay = this.delays.find(matches);
    if (delay) {
      delay.remaining -= 1;
      this.fired.delay += 1;
    }
    const fault = this.armed.find(matches) ?? null;
    if (fault) {
      fault.remaining -= 1;
      this.fired[fault.kind] += 1;
    }
    this.armed = this.armed.filter((f) => f.remaining > 0);
    this.delays = this.delays.filter((d) => d.remaining > 0);
    return { delayMs: delay?.ms ?? 0, fault };
  }
}
