import { N8nError, type N8nClient, type N8nExecution } from "@/lib/n8n";

/**
 * Executions fetched with run data at once. Each is one request of a few to a few hundred
 * KB; four keep a sync's wall time low without loading a client's n8n like a burst would.
 */
export const RUN_DATA_CONCURRENCY = 4;
/**
 * Fetches that fail like an outage (N8nError.outage) this many times in a row end the
 * reading: n8n has stopped answering, and every further fetch would only wait through
 * its retries (a run once took 270 s that way and was recorded as a success).
 */
export const RUN_DATA_FAILURES_IN_A_ROW = 3;
/**
 * Retries of one run-data fetch, at most (the client's own apply when lower). The next
 * sync reads an execution whose fetch failed; a long backoff per fetch only delays
 * noticing that n8n is down.
 */
export const RUN_DATA_RETRIES = 2;
/**
 * Executions a reader fetches, then stores and marks together: a crash re-fetches at most
 * this many, and the pool drains once per page while it is stored.
 */
export const RUN_DATA_PAGE = 100;
const MAX_SAMPLES = 10;

/**
 * Fetches single executions with their run data (GET /executions/{id}?includeData=true)
 * for the readers that need it (LLM usage, error details), counting what came back and
 * noticing when n8n stops answering, so a reader stops instead of waiting through every
 * remaining fetch's retries.
 */
export class RunDataFetcher {
  /** Executions whose run data arrived. */
  fetched = 0;
  /** n8n no longer had the execution (pruned). */
  gone = 0;
  /** Fetches that failed after their retries; the execution stays pending. */
  failures = 0;
  /** The first few messages worth an operator's eye (failures, and what the reader adds). */
  readonly samples: string[] = [];
  /** Set when n8n stopped answering: no further fetch should start. */
  outage: N8nError | null = null;
  private failuresInARow = 0;

  constructor(private readonly n8n: N8nClient) {}

  /** The execution with its run data; null when n8n no longer has it, undefined when the fetch failed. */
  async fetch(id: number): Promise<N8nExecution | null | undefined> {
    try {
      const execution = await this.n8n.getExecution(String(id), { includeData: true, maxRetries: RUN_DATA_RETRIES });
      this.failuresInARow = 0;
      if (execution) this.fetched += 1;
      else this.gone += 1;
      return execution;
    } catch (err) {
      this.failures += 1;
      this.sample(`execution ${id}: run data not fetched (${err instanceof Error ? err.message : String(err)})`);
      if (err instanceof N8nError && err.outage) {
        this.failuresInARow += 1;
        if (this.failuresInARow >= RUN_DATA_FAILURES_IN_A_ROW) this.outage ??= err;
      } else {
        // One execution's own problem (n8n rejects it): says nothing about the instance.
        this.failuresInARow = 0;
      }
      return undefined;
    }
  }

  /** The sync's error once n8n stopped answering (`while`: what was being read): what is left, and the last failure. */
  stoppedError(reading: string, pending: number): N8nError {
    const last = this.outage as N8nError;
    const message =
      `n8n stopped answering while ${reading} (${RUN_DATA_FAILURES_IN_A_ROW} fetches in a row failed): ` +
      `${pending} execution${pending === 1 ? "" : "s"} still pending, read by the next sync. Last failure: ${last.message}`;
    return new N8nError(last.kind, message, { status: last.status, cause: last });
  }

  sample(message: string): void {
    if (this.samples.length < MAX_SAMPLES) this.samples.push(message.slice(0, 300));
  }
}
