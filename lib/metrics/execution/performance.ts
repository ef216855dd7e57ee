import { sqlLiterals } from "@/lib/db/sql-literals";
import { FAILED_STATUSES, FINAL_STATUSES } from "@/lib/core/vocabulary";
import { isoTimeOrNull, num, ts, queryRows, type Db } from "@/lib/db/database";
import { compare, pct } from "@/lib/metrics/compare";
import { sql } from "drizzle-orm";
import {
  rangeWindow,
  loadClient,
  type SectionQuery,
  rangeInfo,
  rollupsIn,
  withinHourlyRetention,
  workflowNames,
  sectionCalendar,
} from "./context";
import { decompose, decomposePrevious, horizonsAt } from "@/lib/metrics/decompose";
import { readPieces } from "@/lib/metrics/read-pieces";
import { failures as failuresOf, finished as finishedOf } from "@/lib/metrics/totals";
import type {
  ErrorMessageCount,
  ExecutionQuery,
  HourOfDayFailures,
  PerformanceMetrics,
  WorkflowFailures,
} from "./types";

/** How many distinct error messages `topErrors` lists. */
export const TOP_ERRORS_LIMIT = 10;

/*
 * Vocabulary shared by every section: failures are error + crashed; finished executions
 * are the final statuses (success, error, crashed, canceled); rates are over finished
 * executions, so runs still in progress do not lower the success rate.
 */
const FAILURES = sql`r.error + r.crashed`;
const FINISHED = sql`r.success + r.error + r.crashed + r.canceled`;

interface HourRow {
  hour: number | string;
  executions: number | string;
  failures: number | string;
  finished: number | string;
}

/**
 * Failures per hour of day on the client's clock (`zone`; a UTC hour counts at the local
 * hour it starts in): hourly rollups while they hold the range, else raw rows.
 */
function byHourSql(query: ExecutionQuery, hourly: boolean, zone: string) {
  const { clientId, range } = query;
  if (hourly) {
    return sql`select extract(hour from r.bucket_start at time zone ${zone})::int as hour, sum(r.total)::bigint as executions,
        sum(${FAILURES})::bigint as failures, sum(${FINISHED})::bigint as finished
      from rollups r where ${rollupsIn(clientId, "hour", rangeWindow(range, "hour"))} group by 1`;
  }
  return sql`select extract(hour from date_trunc('hour', e.started_at) at time zone ${zone})::int as hour, count(*)::bigint as executions,
      count(*) filter (where e.status in (${sqlLiterals(FAILED_STATUSES)}))::bigint as failures,
      count(*) filter (where e.status in (${sqlLiterals(FINAL_STATUSES)}))::bigint as finished
    from executions e
    where e.client_id = ${clientId} and e.is_production
      and e.started_at >= ${ts(range.start)} and e.started_at < ${ts(range.end)}
    group by 1`;
}

/**
 * Success rate over the range, failures per workflow (most first) and per hour of day,
 * and the most frequent error messages of failed executions still held raw.
 */
export async function getPerformanceMetrics(db: Db, query: SectionQuery): Promise<PerformanceMetrics> {
  const { clientId, range } = query;
  const now = query.now ?? new Date();
  const hourly = withinHourlyRetention(range.start, now);

  // Counts of the range and the previous period, exact at their edges (decompose.ts).
  const horizons = horizonsAt(now);
  const calendar = await sectionCalendar(db, query);
  const current = decompose(range.start, range.end, horizons, calendar);
  const previous = decomposePrevious(current, horizons, calendar);

  const [, perWorkflow, perClient, names, hourRows, errorRows] = await Promise.all([
    query.client ?? loadClient(db, clientId),
    readPieces(db, [clientId], [current], "workflow"),
    readPieces(db, [clientId], [previous], "client"),
    workflowNames(db, clientId),
    queryRows<HourRow>(db, byHourSql(query, hourly, calendar.timeZone)),
    queryRows<{
      message: string;
      node: string | null;
      count: number | string;
      workflows: number | string;
      last_seen: Date | string;
    }>(
      db,
      sql`select left(e.error_message, 500) as message, mode() within group (order by e.error_node) as node,
          count(*)::bigint as count, count(distinct e.workflow_id)::bigint as workflows, max(e.started_at) as last_seen
        from executions e
        where e.client_id = ${clientId} and e.is_production and e.status in (${sqlLiterals(FAILED_STATUSES)})
          and e.error_message is not null
          and e.started_at >= ${ts(range.start)} and e.started_at < ${ts(range.end)}
        group by 1 order by count(*) desc, 1 limit ${TOP_ERRORS_LIMIT}`,
    ),
  ]);

  const tallies = perWorkflow.groups(current);
  const byWorkflow: WorkflowFailures[] = [...tallies]
    .map(([workflowId, t]) => ({
      workflowId,
      name: names.get(workflowId) ?? String(workflowId),
      executions: t.total,
      success: t.success,
      failures: failuresOf(t),
      canceled: t.canceled,
      failureRate: pct(failuresOf(t), finishedOf(t)),
      successRate: pct(t.success, finishedOf(t)),
    }))
    .sort(
      (a, b) => b.failures - a.failures || (b.failureRate ?? 0) - (a.failureRate ?? 0) || a.name.localeCompare(b.name),
    );

  const sum = (key: keyof WorkflowFailures) => byWorkflow.reduce((a, w) => a + Number(w[key]), 0);
  const executions = sum("executions");
  const success = sum("success");
  const failures = sum("failures");
  const canceled = sum("canceled");
  const finished = [...tallies.values()].reduce((a, t) => a + finishedOf(t), 0);
  const successRate = pct(success, finished);
  const prev = perClient.tally(previous, clientId);

  const hours = new Map(hourRows.map((r) => [Number(r.hour), r]));
  const byHourOfDay: HourOfDayFailures[] = Array.from({ length: 24 }, (_, hour) => {
    const r = hours.get(hour);
    return {
      hour,
      executions: num(r?.executions),
      failures: num(r?.failures),
      failureRate: r ? pct(num(r.failures), num(r.finished)) : null,
    };
  });

  const topErrors: ErrorMessageCount[] = errorRows.map((r) => ({
    message: r.message,
    node: r.node,
    count: num(r.count),
    workflows: num(r.workflows),
    lastSeenAt: isoTimeOrNull(r.last_seen) ?? "",
  }));

  return {
    clientId,
    range: rangeInfo(range),
    executions,
    finished,
    success,
    failures,
    canceled,
    successRate,
    failureRate: pct(failures, finished),
    comparison: {
      successRate: compare(successRate, prev ? pct(prev.success, finishedOf(prev)) : null),
      failures: compare(failures, prev ? failuresOf(prev) : null),
    },
    byWorkflow,
    byHourOfDay,
    byHourSource: hourly ? "hourly" : "raw",
    topErrors,
  };
}

/** CSV rows of failures by workflow. */
export function performanceCsv(m: PerformanceMetrics): Array<Record<string, unknown>> {
  return m.byWorkflow.map((w) => ({ ...w }));
}
