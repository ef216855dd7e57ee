/**
 * What every measurement needs around its rule: the clients it is evaluated for, where
 * each client's collected data ends at an instant, durations in words, and the links an
 * alert carries to the runs behind its figure.
 */
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { isoTime, queryRows, ts, type Db } from "@/lib/db/database";
import { clients, workflows } from "@/lib/db/schema";
import { arrayParam } from "@/lib/db/sql-literals";
import type { ClientTarget, RuleToEvaluate } from "../types";

/**
 * The clients a rule is evaluated for: its own, or every client, while active. An
 * inactive client is no longer synced: its figures stand still, so nothing is judged.
 */
export async function targetClients(db: Db, rule: Pick<RuleToEvaluate, "clientId">): Promise<ClientTarget[]> {
  const columns = { id: clients.id, name: clients.name, slug: clients.slug, timeZone: clients.timeZone };
  return db
    .select(columns)
    .from(clients)
    .where(and(eq(clients.active, true), rule.clientId === null ? undefined : eq(clients.id, rule.clientId)))
    .orderBy(asc(clients.id));
}

/** A client's successful and failed syncs, oldest first, for the instants asked. */
export interface SyncHistory {
  /** Successful sync-client runs: when each started and finished. */
  successes: Array<{ startedAt: number; finishedAt: number }>;
  /** Every finished sync-client run: finish time and whether it failed. */
  finished: Array<{ finishedAt: number; failed: boolean }>;
}

/**
 * Each client's finished sync-client runs since `from` minus `lookbackMs` (all of them, to
 * the present: the newest success bounds what can be judged, see dataHorizon), and the
 * last success before that, so the state at any instant from `from` on can be read.
 */
export async function syncHistories(
  db: Db,
  clientIds: number[],
  from: Date,
  lookbackMs: number,
): Promise<Map<number, SyncHistory>> {
  const out = new Map<number, SyncHistory>(clientIds.map((id) => [id, { successes: [], finished: [] }]));
  if (clientIds.length === 0) return out;
  const since = new Date(from.getTime() - lookbackMs);
  const ids = sql`${arrayParam(clientIds)}::int[]`;
  const rows = await queryRows<{ client_id: number; status: string; started_at: unknown; finished_at: unknown }>(
    db,
    sql`select s.client_id, s.status, s.started_at, s.finished_at from sync_runs s
      where s.client_id = any(${ids}) and s.function = 'sync-client' and s.status in ('success', 'error')
        and s.finished_at >= ${ts(since)}
      union all
      select * from (select distinct on (s.client_id) s.client_id, s.status, s.started_at, s.finished_at
        from sync_runs s where s.client_id = any(${ids}) and s.function = 'sync-client'
          and s.status = 'success' and s.finished_at < ${ts(since)}
        order by s.client_id, s.finished_at desc) last
      order by finished_at`,
  );
  for (const r of rows) {
    const h = out.get(Number(r.client_id));
    if (!h) continue;
    const startedAt = Date.parse(isoTime(r.started_at as Date | string));
    const finishedAt = Date.parse(isoTime(r.finished_at as Date | string));
    h.finished.push({ finishedAt, failed: r.status !== "success" });
    if (r.status === "success") h.successes.push({ startedAt, finishedAt });
  }
  return out;
}

/** The newest success finished at or before `at` (the list is ordered by finish). */
export function lastSuccessAt(h: SyncHistory, at: number): { startedAt: number; finishedAt: number } | null {
  let found: { startedAt: number; finishedAt: number } | null = null;
  for (const s of h.successes) {
    if (s.finishedAt > at) break;
    found = s;
  }
  return found;
}

/**
 * Where a client's data can be judged at `at`: up to `at` itself, but never past the start
 * of its newest successful sync (an execution that started later may not be stored yet,
 * and a sync that has not run is not a quiet spell). Live, that is the last sync's start;
 * for a past instant that later syncs covered, the instant itself, so the backtest judges
 * history as if it had been collected as it happened. Null before any successful sync.
 */
export function dataHorizon(h: SyncHistory | undefined, at: number): number | null {
  const newest = h?.successes.at(-1);
  return newest ? Math.min(at, newest.startedAt) : null;
}

/** "45 min", "2 h", "1 h 30 min", "3 d". */
export function durationText(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) {
    const h = Math.floor(minutes / 60);
    const m = minutes % 60;
    return m === 0 ? `${h} h` : `${h} h ${m} min`;
  }
  const days = minutes / (24 * 60);
  return `${Number.isInteger(days) ? days : days.toFixed(1)} d`;
}

/** The Runs tab of a client over [from, to), filtered as the explorer's URL takes it. */
export function runsLink(slug: string, from: Date, to: Date, filters: Record<string, string | number> = {}): string {
  const search = new URLSearchParams({ start: from.toISOString(), end: to.toISOString() });
  for (const [k, v] of Object.entries(filters)) search.set(k, String(v));
  return `/clients/${encodeURIComponent(slug)}/runs?${search.toString()}`;
}

/** A workflow's drill-down page. */
export function workflowLink(slug: string, workflowId: number): string {
  return `/clients/${encodeURIComponent(slug)}/workflows/${workflowId}`;
}

/** Names of the given workflows, for summaries. */
export async function workflowNames(db: Db, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: workflows.id, name: workflows.name })
    .from(workflows)
    .where(inArray(workflows.id, ids));
  return new Map(rows.map((r) => [r.id, r.name]));
}
