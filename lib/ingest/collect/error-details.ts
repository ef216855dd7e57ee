import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/lib/db/database";
import { arrayParam, sqlLiterals } from "@/lib/db/sql-literals";
import { FAILED_STATUSES } from "@/lib/core/vocabulary";
import { extractErrorDetails, type ErrorDetails } from "@/lib/ingest/errors/extract";
import type { N8nClient } from "@/lib/n8n";
import { forEachPooled } from "@/lib/core/pool";
import { RUN_DATA_CONCURRENCY, RUN_DATA_PAGE, RunDataFetcher } from "./run-data-fetch";

/**
 * Failed executions read with run data per sync at most. Failures are a few percent of
 * the runs, so a sync usually reads a handful; the limit spreads the backfill after an
 * upgrade (every stored failure) or a bad day over several syncs.
 */
export const ERROR_FETCH_LIMIT = 1000;

/** What a sync run records about error details (sync_runs.details.errors). */
export interface ErrorCollectDetails {
  /** Failed executions whose run data arrived. */
  executionsFetched: number;
  /** Of those, the ones whose run data named an error message. */
  withMessage: number;
  /** n8n no longer had the execution (pruned); marked as read, with no details. */
  gone: number;
  /** getExecution failed; left unmarked, read by the next sync. */
  fetchFailures: number;
  /** Failed executions still to read after this sync. */
  pending: number;
  samples: string[];
  ms: number;
}

/** The pending ones: failed production executions not read yet (executions_error_pending_idx). */
const pendingWhere = (clientId: number) =>
  sql`e.client_id = ${clientId} and e.error_read_at is null and e.is_production
    and e.status in (${sqlLiterals(FAILED_STATUSES)})`;

/**
 * Error details of one client's sync. n8n's execution list carries no error; the run data
 * of one execution does (extractErrorDetails). Failed production executions are stored
 * unread (executions.error_read_at null) and read here after the execution pages, newest
 * first, one request each, up to ERROR_FETCH_LIMIT per sync; each page of them is written
 * and marked in one statement, so a failed fetch or an interrupted sync leaves the rest
 * for the next sync, and none is read twice. Runs after the LLM usage step, which stores
 * the errors of the failed AI executions it reads (one fetch for both).
 */
export class ErrorDetailsCollector {
  private readonly fetcher: RunDataFetcher;
  private readonly stats = { withMessage: 0, pending: 0, ms: 0 };

  constructor(
    private readonly ctx: { db: Db; clientId: number; n8n: N8nClient; concurrency?: number; limit?: number },
  ) {
    this.fetcher = new RunDataFetcher(ctx.n8n);
  }

  async collectPending(): Promise<void> {
    const started = performance.now();
    try {
      const due = await queryRows<{ id: number | string }>(
        this.ctx.db,
        sql`select e.n8n_execution_id as id from executions e where ${pendingWhere(this.ctx.clientId)}
          order by e.n8n_execution_id desc limit ${this.ctx.limit ?? ERROR_FETCH_LIMIT}`,
      );
      const ids = due.map((r) => Number(r.id));
      if (ids.length === 0) return;
      for (let i = 0; i < ids.length && !this.fetcher.outage; i += RUN_DATA_PAGE)
        await this.fetchAndStore(ids.slice(i, i + RUN_DATA_PAGE));
      const [left] = await queryRows<{ n: number | string }>(
        this.ctx.db,
        sql`select count(*) as n from executions e where ${pendingWhere(this.ctx.clientId)}`,
      );
      this.stats.pending = Number(left.n);
    } finally {
      this.stats.ms += performance.now() - started;
    }
    if (this.fetcher.outage) throw this.fetcher.stoppedError("error details were read", this.stats.pending);
  }

  details(): ErrorCollectDetails {
    const { fetched, gone, failures, samples } = this.fetcher;
    return {
      executionsFetched: fetched,
      withMessage: this.stats.withMessage,
      gone,
      fetchFailures: failures,
      pending: this.stats.pending,
      samples,
      ms: Math.round(this.stats.ms),
    };
  }

  private async fetchAndStore(ids: readonly number[]): Promise<void> {
    const read: Array<{ id: number } & ErrorDetails> = [];
    await forEachPooled(ids, this.ctx.concurrency ?? RUN_DATA_CONCURRENCY, async (id) => {
      // Once n8n stopped answering, the rest of the page drains without a request.
      if (this.fetcher.outage) return;
      const execution = await this.fetcher.fetch(id);
      if (execution === undefined) return; // failed: stays pending
      const details = execution ? extractErrorDetails(execution.data) : { message: null, node: null, type: null };
      if (details.message !== null) this.stats.withMessage += 1;
      read.push({ id, ...details });
    });
    await storeErrorDetails(this.ctx.db, this.ctx.clientId, read);
  }
}

/**
 * Writes the details read and marks their executions read, in one statement. Only rows
 * still pending are touched, so a concurrent reclassification is not undone, and the
 * rollup triggers see no counted field change (no buckets queued). The ids go in as an
 * array so each partition is probed by its (client, id) index: joined only on the JSON
 * rows, the planner scanned every execution of the client per page (minutes at 200k).
 */
export async function storeErrorDetails(
  db: Db,
  clientId: number,
  read: Array<{ id: number } & ErrorDetails>,
): Promise<void> {
  if (read.length === 0) return;
  const payload = JSON.stringify(read);
  await db.execute(
    sql`update executions e
      set error_message = r.message, error_node = r.node, error_type = r.type, error_read_at = now()
      from jsonb_to_recordset(${payload}::jsonb) as r(id bigint, message text, node text, type text)
      where e.client_id = ${clientId} and e.n8n_execution_id = any (${arrayParam(read.map((r) => r.id))}::bigint[])
        and e.n8n_execution_id = r.id and e.error_read_at is null`,
  );
}
