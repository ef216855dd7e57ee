import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/lib/db/database";
import { lastSyncAtSql } from "@/lib/runs/last-sync";
import { FAILED_STATUSES, type Granularity, type SyncStatus } from "@/lib/core/vocabulary";
import { arrayParam, sqlLiterals } from "@/lib/db/sql-literals";
import { clientHealth, HEALTH_STATES } from "./client-health";
import { collectIntervalSeconds } from "@/lib/jobs/schedule";
import { isStale } from "@/lib/metrics/status/health";
import { cachedQuery } from "./cache";
import { compare, pct, round } from "./compare";
import { decompose, decomposePrevious, decomposeSeries, horizonsAt, type Decomposition } from "./decompose";
import { BucketCalendar, loadCalendars } from "@/lib/ingest/rollups/calendar";
import { readPieces } from "./read-pieces";
import { tallyFigures } from "./tally";
import { failures, finished, microToUsd, type Figures } from "./totals";
import type { AllClientsResponse, ClientOverviewRow, Freshness } from "./types";
import { period, toResolvedRange, type RangeInput } from "./window";

export interface AllClientsQuery {
  range: RangeInput;
  now?: Date;
}

interface ClientState {
  id: number;
  name: string;
  slug: string;
  active: boolean;
  last_sync_at: Date | string | null;
  last_run_status: SyncStatus | null;
}

/**
 * Every client with its newest successful sync and its newest sync's status. Each
 * lookup reads the newest rows of sync_runs_client_started_idx; explicit columns, so
 * the n8n key never leaves the database.
 */
function clientStates(db: Db): Promise<ClientState[]> {
  return queryRows<ClientState>(
    db,
    sql`select c.id, c.name, c.slug, c.active,
        ${lastSyncAtSql(sql`c.id`)} as last_sync_at,
        (select s.status from sync_runs s where s.client_id = c.id and s.function = 'sync-client'
          order by s.started_at desc, s.id desc limit 1) as last_run_status
      from clients c order by c.name, c.id`,
  );
}

/** A bucket of a client's trend: its runs and failures (0 when it had none). */
interface TrendPoint {
  bucket: string;
  executions: number;
  failures: number;
}

interface LastFailure {
  client_id: number;
  n8n_execution_id: unknown;
  workflow_name: string;
  started_at: Date | string | null;
}

/**
 * Each client's newest failed production execution, whenever it was: one probe of
 * executions_failed_idx per client (newest n8n id first).
 */
function lastFailures(db: Db, ids: number[]): Promise<LastFailure[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return queryRows<LastFailure>(
    db,
    sql`select c.id as client_id, f.n8n_execution_id, f.workflow_name, f.started_at
      from clients c cross join lateral (
        select e.n8n_execution_id, w.name as workflow_name, e.started_at
        from executions e join workflows w on w.id = e.workflow_id
        where e.client_id = c.id and e.status in (${sqlLiterals(FAILED_STATUSES)}) and e.is_production
        order by e.n8n_execution_id desc limit 1) f
      where c.id = any (${arrayParam(ids)}::int[])`,
  );
}

type PeriodFigures = { now: Figures | undefined; before: Figures | undefined; trend: TrendPoint[] };

/**
 * Every client's figures over [start, end) and the period before, read once per calendar:
 * clients in the same zone share one decomposition. The period counted is the first
 * calendar's; calendars differ in it only where retention widened an edge.
 */
async function figuresByCalendar(
  db: Db,
  ids: number[],
  range: { start: Date; end: Date; granularity: Granularity },
  now: Date,
) {
  const { start, end } = range;
  const horizons = horizonsAt(now);
  const calendars = await loadCalendars(db, ids);
  const groups = new Map<string, { calendar: BucketCalendar; ids: number[] }>();
  for (const id of ids) {
    const calendar = calendars.get(id)!;
    const group = groups.get(calendar.key) ?? { calendar, ids: [] };
    group.ids.push(id);
    groups.set(calendar.key, group);
  }
  const figures = new Map<number, PeriodFigures>();
  let counted: Decomposition | undefined;
  for (const { calendar, ids: groupIds } of groups.values()) {
    const { range: current, buckets } = decomposeSeries(start, end, range.granularity, horizons, calendar);
    const previous = decomposePrevious(current, horizons, calendar);
    counted ??= current;
    const pieces = await readPieces(db, groupIds, [current, previous, ...buckets]);
    for (const id of groupIds)
      figures.set(id, {
        now: tallyFigures(pieces.tally(current, id)),
        before: tallyFigures(pieces.tally(previous, id)),
        trend: buckets.map((b) => {
          const t = tallyFigures(pieces.tally(b, id));
          return { bucket: b.bucket.toISOString(), executions: t?.total ?? 0, failures: t ? failures(t) : 0 };
        }),
      });
  }
  counted ??= decompose(start, end, horizons);
  return { counted: { start: counted.start.toISOString(), end: counted.end.toISOString() }, figures };
}

/**
 * GET /api/v1/metrics/all: the operator overview of every client over the range
 * (executions, success rate, failures, time saved, each compared to the previous
 * period; LLM cost) with data freshness: stale when the last successful sync is older than twice
 * the collect interval. Figures are read exactly (decompose.ts); freshness per request.
 */
export async function getAllClientsOverview(db: Db, q: AllClientsQuery): Promise<AllClientsResponse> {
  const now = q.now ?? new Date();
  const range = toResolvedRange(q.range, now);
  const states = await clientStates(db);
  const ids = states.map((c) => c.id);
  const { counted, figures } = await cachedQuery(
    db,
    {
      endpoint: "all",
      clientId: null,
      params: { start: range.start, end: range.end, granularity: range.granularity, ids },
    },
    () => figuresByCalendar(db, ids, range, now),
  );
  const interval = collectIntervalSeconds(now);
  const failed = new Map((await lastFailures(db, ids)).map((f) => [Number(f.client_id), f]));
  const rows = states.map((c) => {
    const f = figures.get(c.id);
    return clientRow(c, f?.now, f?.before, freshness(c, now, interval), f?.trend ?? [], failed.get(c.id));
  });
  // Worst first, then by failures, then by name (the order clientStates read them in).
  const rank = (r: ClientOverviewRow) => HEALTH_STATES.indexOf(r.health.state);
  rows.sort((a, b) => rank(a) - rank(b) || b.failures - a.failures);
  return {
    period: period(new Date(counted.start), new Date(counted.end)),
    source: range.granularity,
    collectIntervalSeconds: interval,
    clients: rows,
  };
}

function freshness(c: ClientState, now: Date, interval: number): Freshness {
  const last = c.last_sync_at === null ? null : new Date(c.last_sync_at);
  return {
    lastSyncAt: last?.toISOString() ?? null,
    ageSeconds: last ? Math.max(0, Math.round((now.getTime() - last.getTime()) / 1000)) : null,
    stale: isStale(last, now, interval),
    lastRunStatus: c.last_run_status,
  };
}

function clientRow(
  c: ClientState,
  f: Figures | undefined,
  prev: Figures | undefined,
  fresh: Freshness,
  trend: TrendPoint[],
  lastFailure: LastFailure | undefined,
): ClientOverviewRow {
  const executions = f?.total ?? 0;
  const successRate = f ? pct(f.success, finished(f)) : null;
  const health = clientHealth({
    active: c.active,
    finished: f ? finished(f) : 0,
    successRate,
    lastSyncAt: fresh.lastSyncAt,
    stale: fresh.stale,
    lastRunStatus: fresh.lastRunStatus,
  });
  const fails = f ? failures(f) : 0;
  const saved = round(f?.minutesSaved ?? 0);
  return {
    clientId: c.id,
    name: c.name,
    slug: c.slug,
    active: c.active,
    executions,
    successRate,
    failures: fails,
    timeSavedMinutes: saved,
    // From rollups, as the client's overview card: priced usage of its workflows; null without LLM calls.
    llmCostUsd: f && f.llmCalls > 0 ? microToUsd(f.costMicroUsd) : null,
    comparison: {
      executions: compare(executions, prev?.total ?? 0),
      successRate: compare(successRate, prev ? pct(prev.success, finished(prev)) : null),
      failures: compare(fails, prev ? failures(prev) : 0),
      timeSavedMinutes: compare(saved, round(prev?.minutesSaved ?? 0)),
    },
    freshness: fresh,
    health,
    trend,
    lastFailure: lastFailure
      ? {
          executionId: Number(lastFailure.n8n_execution_id),
          workflowName: lastFailure.workflow_name,
          startedAt: lastFailure.started_at === null ? null : new Date(lastFailure.started_at).toISOString(),
        }
      : null,
  };
}
