import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/lib/db/database";
import { lastSyncAtSql } from "@/lib/runs/last-sync";
import type { SyncStatus } from "@/lib/core/vocabulary";
import { collectIntervalSeconds } from "@/lib/jobs/schedule";
import { isStale } from "@/lib/metrics/status/health";
import { cachedQuery } from "./cache";
import { compare, pct, round } from "./compare";
import { decompose, decomposePrevious, horizonsAt, type Decomposition } from "./decompose";
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

type PeriodFigures = { now: Figures | undefined; before: Figures | undefined };

/**
 * Every client's figures over [start, end) and the period before, read once per calendar:
 * clients in the same zone share one decomposition. The period counted is the first
 * calendar's; calendars differ in it only where retention widened an edge.
 */
async function figuresByCalendar(db: Db, ids: number[], start: Date, end: Date, now: Date) {
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
    const current = decompose(start, end, horizons, calendar);
    const previous = decomposePrevious(current, horizons, calendar);
    counted ??= current;
    const pieces = await readPieces(db, groupIds, [current, previous]);
    for (const id of groupIds)
      figures.set(id, {
        now: tallyFigures(pieces.tally(current, id)),
        before: tallyFigures(pieces.tally(previous, id)),
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
    { endpoint: "all", clientId: null, params: { start: range.start, end: range.end, ids } },
    () => figuresByCalendar(db, ids, range.start, range.end, now),
  );
  const interval = collectIntervalSeconds(now);
  return {
    period: period(new Date(counted.start), new Date(counted.end)),
    source: range.granularity,
    collectIntervalSeconds: interval,
    clients: states.map((c) =>
      clientRow(c, figures.get(c.id)?.now, figures.get(c.id)?.before, freshness(c, now, interval)),
    ),
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
): ClientOverviewRow {
  const executions = f?.total ?? 0;
  const successRate = f ? pct(f.success, finished(f)) : null;
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
  };
}
