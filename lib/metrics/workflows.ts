import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/lib/db/database";
import { assertClientExists } from "@/lib/clients/queries";
import type { ExecutionStatus } from "@/lib/core/vocabulary";
import { cachedQuery } from "./cache";
import { compare, pct, round, roundOrNull } from "./compare";
import { loadCalendar } from "@/lib/ingest/rollups/calendar";
import { decompose, decomposePrevious, horizonsAt } from "./decompose";
import { readPieces } from "./read-pieces";
import { tallyFigures } from "./tally";
import { failures, finished, microToUsd, type Figures } from "./totals";
import type { ResolvedRange } from "./range";
import type { WorkflowRow, WorkflowsResponse } from "./types";
import { period, toResolvedRange, type RangeInput } from "./window";

export interface WorkflowsQuery {
  clientId: number;
  range: RangeInput;
  now?: Date;
}

interface WorkflowInfo {
  id: number;
  n8n_workflow_id: string;
  name: string;
  active: boolean;
  is_archived: boolean;
  last_run_at: Date | string | null;
  last_run_status: ExecutionStatus | null;
}

/**
 * The client's workflows with their newest production run. The newest hour rollup of a
 * workflow (rollups_workflow_idx) bounds the search in raw executions to one hour, so
 * this never scans a workflow's history; past raw retention the hour's start stands in.
 */
async function listWorkflows(db: Db, clientId: number, before: Date): Promise<WorkflowInfo[]> {
  return queryRows<WorkflowInfo>(
    db,
    sql`select w.id, w.n8n_workflow_id, w.name, w.active, w.is_archived,
        coalesce(le.started_at, lh.hour) as last_run_at, le.status as last_run_status
      from workflows w
      left join lateral (
        select max(r.bucket_start) as hour from rollups r
        where r.workflow_id = w.id and r.granularity = 'hour' and r.bucket_start < ${before.toISOString()}::timestamptz
      ) lh on true
      left join lateral (
        select e.started_at, e.status from executions e
        where e.client_id = w.client_id and e.workflow_id = w.id and e.is_production
          and e.started_at >= lh.hour and e.started_at < lh.hour + interval '1 hour'
          and e.started_at < ${before.toISOString()}::timestamptz
        order by e.started_at desc limit 1
      ) le on true
      where w.client_id = ${clientId}`,
  );
}

/**
 * GET /api/v1/metrics/workflows: a performance table per workflow over the range
 * (executions, success rate, failures, average and p95 duration, time saved, LLM use,
 * last run), with executions and success rate compared to the previous period. Sorted
 * by executions; workflows without executions in the range follow unless archived.
 * Both periods are decomposed exactly (decompose.ts) and read per workflow in one pass.
 */
export async function getWorkflowPerformance(db: Db, q: WorkflowsQuery): Promise<WorkflowsResponse> {
  const now = q.now ?? new Date();
  const range = toResolvedRange(q.range, now);
  await assertClientExists(db, q.clientId);
  const body = await cachedQuery(
    db,
    { endpoint: "workflows", clientId: q.clientId, params: { start: range.start, end: range.end } },
    () => workflowsBody(db, q.clientId, range, now),
  );
  return { clientId: q.clientId, source: range.granularity, ...body };
}

async function workflowsBody(db: Db, clientId: number, range: ResolvedRange, now: Date) {
  const horizons = horizonsAt(now);
  const calendar = await loadCalendar(db, clientId);
  const current = decompose(range.start, range.end, horizons, calendar);
  const previous = decomposePrevious(current, horizons, calendar);
  const [pieces, list] = await Promise.all([
    readPieces(db, [clientId], [current, previous], "workflow"),
    listWorkflows(db, clientId, current.end),
  ]);
  const workflows = list
    .map((w) => ({ w, f: tallyFigures(pieces.tally(current, w.id)) }))
    .filter(({ w, f }) => f !== undefined || !w.is_archived)
    .map(({ w, f }) => workflowRow(w, f, tallyFigures(pieces.tally(previous, w.id))))
    .sort((a, b) => b.executions - a.executions || a.name.localeCompare(b.name) || a.workflowId - b.workflowId);
  return { period: period(current.start, current.end), workflows };
}

function workflowRow(w: WorkflowInfo, f: Figures | undefined, prev: Figures | undefined): WorkflowRow {
  const executions = f?.total ?? 0;
  const successRate = f ? pct(f.success, finished(f)) : null;
  return {
    workflowId: w.id,
    n8nWorkflowId: w.n8n_workflow_id,
    name: w.name,
    active: w.active,
    archived: w.is_archived,
    executions,
    success: f?.success ?? 0,
    failures: f ? failures(f) : 0,
    successRate,
    avgDurationMs: f && f.durationCount > 0 ? round(f.durationSumMs / f.durationCount, 1) : null,
    p95DurationMs: roundOrNull(f?.percentiles.p95 ?? null, 1),
    timeSavedMinutes: round(f?.minutesSaved ?? 0),
    llmCalls: f?.llmCalls ?? 0,
    costUsd: microToUsd(f?.costMicroUsd ?? 0),
    lastRunAt: w.last_run_at === null ? null : new Date(w.last_run_at).toISOString(),
    lastRunStatus: w.last_run_status,
    comparison: {
      executions: compare(executions, prev?.total ?? 0),
      successRate: compare(successRate, prev ? pct(prev.success, finished(prev)) : null),
    },
  };
}
