/**
 * GET /api/v1/metrics/errors: a client's top errors over a range. Failed production
 * executions (error, crashed) grouped by workflow, failing node and message, most
 * frequent first, with when each was first and last seen in the range and its newest
 * run: the causes behind a failure count, each a link away from its runs (the explorer's
 * `error` filter). Messages come from each failure's run data, read once by the syncs
 * (lib/ingest/collect/error-details.ts); failures not read yet and failures whose run data
 * held no message are counted apart.
 *
 * Live from executions, not rollups (messages are not rolled up): failed rows of the
 * range through executions_failed_idx and the month partitions the range touches.
 */
import { sql } from "drizzle-orm";
import { isoTime, num, queryRows, ts, type Db } from "@/lib/db/database";
import { assertClientExists, getWorkflowOrThrow } from "@/lib/clients/queries";
import { sqlLiterals } from "@/lib/db/sql-literals";
import { FAILED_STATUSES } from "@/lib/core/vocabulary";
import { period, toResolvedRange, type RangeInput } from "./window";
import type { TopErrorsResponse } from "./types";

/** A message is grouped by its first this many characters (long ones carry run-specific ids at the end). */
export const ERROR_MESSAGE_CHARS = 500;

export interface TopErrorsQuery {
  clientId: number;
  range: RangeInput;
  workflowId?: number;
  /** 1..50; default 10. */
  limit?: number;
  now?: Date;
}

interface ErrorRow {
  workflow_id: number;
  workflow_name: string;
  node: string | null;
  message: string | null;
  type: string | null;
  pending: boolean;
  failures: unknown;
  first_seen: Date | string;
  last_seen: Date | string;
  last_execution_id: unknown;
}

export async function getTopErrors(db: Db, q: TopErrorsQuery): Promise<TopErrorsResponse> {
  const range = toResolvedRange(q.range, q.now ?? new Date());
  await assertClientExists(db, q.clientId);
  // Another client's workflow is a 404, as in metrics/series, not an empty list.
  if (q.workflowId !== undefined) await getWorkflowOrThrow(db, q.clientId, q.workflowId);
  const limit = Math.min(Math.max(Math.trunc(q.limit ?? 10), 1), 50);
  const workflow = q.workflowId === undefined ? sql`` : sql`and e.workflow_id = ${q.workflowId}`;
  // A literal, so the grouping expression and its use in the order are the same one.
  const chars = sql.raw(String(ERROR_MESSAGE_CHARS));
  const rows = await queryRows<ErrorRow>(
    db,
    sql`select e.workflow_id, w.name as workflow_name, e.error_node as node,
        left(e.error_message, ${chars}) as message, mode() within group (order by e.error_type) as type,
        (e.error_message is null and e.error_read_at is null) as pending, count(*) as failures,
        min(e.started_at) as first_seen, max(e.started_at) as last_seen,
        max(e.n8n_execution_id) as last_execution_id
      from executions e join workflows w on w.id = e.workflow_id
      where e.client_id = ${q.clientId} and e.status in (${sqlLiterals(FAILED_STATUSES)}) and e.is_production
        and e.started_at >= ${ts(range.start)} and e.started_at < ${ts(range.end)} ${workflow}
      group by 1, 2, 3, 4, 6
      order by (left(e.error_message, ${chars}) is null), count(*) desc, max(e.started_at) desc`,
  );
  const withMessage = rows.filter((r) => r.message !== null);
  return {
    clientId: q.clientId,
    period: period(range.start, range.end),
    errors: withMessage.slice(0, limit).map((r) => ({
      workflowId: Number(r.workflow_id),
      workflowName: r.workflow_name,
      node: r.node,
      message: r.message as string,
      type: r.type,
      failures: num(r.failures),
      firstSeen: isoTime(r.first_seen),
      lastSeen: isoTime(r.last_seen),
      lastExecutionId: num(r.last_execution_id),
    })),
    groups: withMessage.length,
    failuresWithoutMessage: failuresOf(rows.filter((r) => r.message === null && !r.pending)),
    failuresPendingDetails: failuresOf(rows.filter((r) => r.message === null && r.pending)),
  };
}

const failuresOf = (rows: ErrorRow[]) => rows.reduce((n, r) => n + num(r.failures), 0);
