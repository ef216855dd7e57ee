/**
 * GET /api/v1/metrics/executions: the executions explorer. Every stored execution of a
 * client (production and excluded, finished or not), newest first by n8n's id, filtered,
 * a page at a time with a keyset cursor (the last id shown: no OFFSET, so a page costs
 * the same at any depth, and rows that arrive meanwhile never shift a page).
 *
 * Indexes per filter (executions, every month partition): none needed beyond the id
 * order for status, mode, class, reason and minimum duration, which filter rows read in
 * that order; executions_client_n8n_id_uq (client, id) for the order itself and for
 * `executionId`; executions_failed_idx for error and crashed runs; executions_excluded_idx
 * for excluded runs; executions_workflow_idx for one workflow. A time range prunes the
 * month partitions outside it.
 */
import { sql, type SQL } from "drizzle-orm";
import { isoTimeOrNull, num, numOrNull, queryRows, ts, type Db } from "@/lib/db/database";
import { getClientOrThrow } from "@/lib/clients/queries";
import { sqlLiterals } from "@/lib/db/sql-literals";
import type { ExecutionStatus } from "@/lib/core/vocabulary";
import { n8nExecutionUrl } from "@/lib/n8n/editor-urls";
import { ERROR_MESSAGE_CHARS } from "./errors";
import { RangeError, TIMEFRAME_MS, type Timeframe } from "./range";
import { EXPORT_LIMIT, type ExecutionClass } from "./explorer-params";
import type { ExplorerItem, ExplorerResponse } from "./types";

export interface ExplorerQuery {
  clientId: number;
  status?: ExecutionStatus[];
  workflowId?: number;
  mode?: string[];
  class?: ExecutionClass;
  reason?: string;
  /** The first ERROR_MESSAGE_CHARS characters of the message, as metrics/errors groups them. */
  error?: string;
  /** The failing node, as n8n names it. */
  node?: string;
  /** Hour of the day (0-23) the execution started in, on the client's clock. */
  hour?: number;
  timeframe?: Timeframe;
  start?: Date;
  end?: Date;
  minDurationMs?: number;
  executionId?: number;
  /** The last id of the previous page. */
  cursor?: number;
  /** 1..EXPORT_LIMIT; default 50 (the API allows 200 a page, and EXPORT_LIMIT for CSV). */
  limit?: number;
  now?: Date;
}

interface ExplorerRow {
  n8n_execution_id: unknown;
  workflow_id: number;
  n8n_workflow_id: string;
  workflow_name: string;
  status: ExecutionStatus;
  mode: string;
  is_production: boolean;
  exclusion_reason: string | null;
  started_at: Date | string | null;
  stopped_at: Date | string | null;
  duration_ms: unknown;
  error_message: string | null;
  error_node: string | null;
  error_type: string | null;
}

/** The started-at bounds the query asks for; a 400 (RangeError) when they contradict. */
function startedBounds(q: ExplorerQuery): { from?: Date; to?: Date } {
  if (q.timeframe) {
    if (q.start || q.end) throw new RangeError("timeframe", "give either timeframe or start/end, not both");
    const now = q.now ?? new Date();
    return { from: new Date(now.getTime() - TIMEFRAME_MS[q.timeframe]) };
  }
  if (q.start && q.end && q.end <= q.start) throw new RangeError("end", "must be after start");
  return { from: q.start, to: q.end };
}

/** `timeZone`: the client's, for the hour-of-day filter. */
function filtersSql(q: ExplorerQuery, timeZone: string): SQL[] {
  const where: SQL[] = [sql`e.client_id = ${q.clientId}`];
  if (q.cursor !== undefined) where.push(sql`e.n8n_execution_id < ${q.cursor}`);
  if (q.executionId !== undefined) where.push(sql`e.n8n_execution_id = ${q.executionId}`);
  if (q.status?.length) where.push(sql`e.status in (${sqlLiterals(q.status)})`);
  if (q.mode?.length) where.push(sql`e.mode in (${sqlLiterals(q.mode)})`);
  if (q.workflowId !== undefined) where.push(sql`e.workflow_id = ${q.workflowId}`);
  if (q.class === "production") where.push(sql`e.is_production`);
  if (q.class === "excluded" || q.reason) where.push(sql`not e.is_production`);
  if (q.reason) {
    where.push(sql`(e.exclusion_reason = ${q.reason} or split_part(e.exclusion_reason, ':', 1) = ${q.reason})`);
  }
  if (q.error) where.push(sql`left(e.error_message, ${sql.raw(String(ERROR_MESSAGE_CHARS))}) = ${q.error}`);
  if (q.node) where.push(sql`e.error_node = ${q.node}`);
  // As failures by hour of day count them (execution/performance.ts): a UTC hour at the
  // local hour it starts in, so a link from a bar lists that bar's runs in half-hour zones too.
  if (q.hour !== undefined)
    where.push(sql`extract(hour from date_trunc('hour', e.started_at) at time zone ${timeZone}) = ${q.hour}`);
  // One execution asked for by id is found whenever it ran (links from lists not bound to the range).
  const { from, to } = q.executionId === undefined ? startedBounds(q) : {};
  if (from) where.push(sql`e.started_at >= ${ts(from)}`);
  if (to) where.push(sql`e.started_at < ${ts(to)}`);
  if (q.minDurationMs) where.push(sql`e.duration_ms >= ${q.minDurationMs}`);
  return where;
}

/**
 * One page of a client's executions matching the filters, newest first. An execution is
 * one row (upsertExecutions keeps one per n8n id), so the id alone orders and pages.
 */
export async function listExecutions(db: Db, q: ExplorerQuery): Promise<ExplorerResponse> {
  const client = await getClientOrThrow(db, q.clientId);
  const limit = Math.min(Math.max(Math.trunc(q.limit ?? 50), 1), EXPORT_LIMIT);
  const rows = await queryRows<ExplorerRow>(
    db,
    sql`select e.n8n_execution_id, e.workflow_id, w.n8n_workflow_id, w.name as workflow_name, e.status, e.mode,
        e.is_production, e.exclusion_reason, e.started_at, e.stopped_at, e.duration_ms, e.error_message, e.error_node,
        e.error_type
      from executions e join workflows w on w.id = e.workflow_id
      where ${sql.join(filtersSql(q, client.timeZone), sql` and `)}
      order by e.n8n_execution_id desc limit ${limit + 1}`,
  );
  const page = rows.slice(0, limit);
  const items: ExplorerItem[] = page.map((r) => {
    const executionId = num(r.n8n_execution_id);
    return {
      executionId,
      workflowId: r.workflow_id,
      n8nWorkflowId: r.n8n_workflow_id,
      workflowName: r.workflow_name,
      status: r.status,
      mode: r.mode,
      isProduction: r.is_production,
      exclusionReason: r.exclusion_reason,
      startedAt: isoTimeOrNull(r.started_at),
      stoppedAt: isoTimeOrNull(r.stopped_at),
      durationMs: numOrNull(r.duration_ms),
      errorMessage: r.error_message,
      errorNode: r.error_node,
      errorType: r.error_type,
      n8nUrl: n8nExecutionUrl(client.n8nBaseUrl, r.n8n_workflow_id, executionId),
    };
  });
  const last = items[items.length - 1];
  return {
    clientId: q.clientId,
    items,
    nextCursor: rows.length > limit && last ? String(last.executionId) : null,
  };
}
