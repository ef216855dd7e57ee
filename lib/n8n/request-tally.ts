import type { N8nRequestInfo } from "./api-client";

/**
 * A sync's n8n requests, counted by attempt: how many were sent, how many were retries,
 * how many n8n answered 429 to (each then waited out as its Retry-After asked, or given
 * up on when it asked too much), and how many got a definite answer (2xx, or a 404 for
 * an id n8n no longer has).
 */
export class RequestTally {
  requests = 0;
  retries = 0;
  rateLimited = 0;
  answered = 0;

  readonly record = (info: N8nRequestInfo): void => {
    this.requests++;
    if (info.attempt > 1) this.retries++;
    if (info.status === 429) this.rateLimited++;
    if (info.status !== null && ((info.status >= 200 && info.status < 300) || info.status === 404)) this.answered++;
  };
}
