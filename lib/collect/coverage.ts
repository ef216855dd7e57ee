/**
 * Coverage, as shown to people: how much of a client's n8n history Flowscope holds, and
 * what it knows it does not. Read from the coverage ledger (ledger.ts) and the stored
 * executions; nothing here is estimated into counts: missing executions stay missing.
 */
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/lib/db/client";
import { UNFINISHED_STATUSES } from "./executions";

export interface CoverageEnd {
  id: number;
  startedAt: string | null;
}

export interface Coverage {
  /** The oldest execution held: where this client's history starts in Flowscope. */
  historyStart: CoverageEnd | null;
  /** The newest execution held. */
  newest: CoverageEnd | null;
  /** The oldest id n8n listed when a sync first read its list to the end; null until then. */
  floorId: number | null;
  /** Executions stored. */
  idsSeen: number;
  /** Ids n8n answered 404 for: pruned or deleted before Flowscope saw them, or not visible to the key. */
  idsMissing: number;
  /** When the missing ids ran, from the start times of their stored neighbours. */
  missingFrom: string | null;
  missingTo: string | null;
  /** Ids the list skipped that are not asked for yet (a per-sync budget). */
  idsUnprobed: number;
  /** Ids between read spans, still to read (an interrupted sync); null while the list was never read to its end. */
  idsToRead: number | null;
  /** Stored executions n8n still reports running, waiting or new. */
  running: number;
  /** Seen ÷ every id known on the line (seen, missing, unprobed, to read); null when nothing is known. */
  collectedShare: number | null;
  /** The whole line from the floor to the newest id is read and every skipped id asked for. */
  complete: boolean;
}

const UNFINISHED = sql.raw(UNFINISHED_STATUSES.map((s) => `'${s}'`).join(", "));

interface Row {
  seen: number;
  running: number;
  oldest_id: number | null;
  oldest_at: string | null;
  newest_id: number | null;
  newest_at: string | null;
  floor_id: number | null;
  missing: number;
  missing_from: string | null;
  missing_to: string | null;
  unprobed: number;
  spans: number;
  to_read: number;
}

const iso = (v: string | Date | null) => (v === null ? null : new Date(v).toISOString());

export async function loadCoverage(db: Db, clientId: number): Promise<Coverage> {
  const [row] = await queryRows<Row>(
    db,
    sql`select
      (select count(*) from executions where client_id = ${clientId})::int as seen,
      (select count(*) from executions where client_id = ${clientId} and status in (${UNFINISHED}))::int as running,
      o.n8n_execution_id as oldest_id, o.started_at as oldest_at,
      n.n8n_execution_id as newest_id, n.started_at as newest_at,
      c.history_floor_id as floor_id,
      coalesce(g.missing, 0)::bigint as missing, g.missing_from, g.missing_to,
      coalesce(g.unprobed, 0)::bigint as unprobed,
      coalesce(r.spans, 0)::int as spans, coalesce(r.to_read, 0)::bigint as to_read
    from clients c
    left join lateral (select n8n_execution_id, started_at from executions
      where client_id = c.id order by n8n_execution_id asc limit 1) o on true
    left join lateral (select n8n_execution_id, started_at from executions
      where client_id = c.id order by n8n_execution_id desc limit 1) n on true
    left join lateral (select
        sum(hi - lo + 1) filter (where state = 'missing') as missing,
        sum(hi - lo + 1) filter (where state = 'unprobed') as unprobed,
        min(after_at) filter (where state = 'missing') as missing_from,
        max(before_at) filter (where state = 'missing') as missing_to
      from collect_gaps where client_id = c.id) g on true
    -- Holes: the distance from each read span down to the next one.
    left join lateral (select count(*) as spans, sum(lo - prev_hi - 1) filter (where prev_hi is not null) as to_read
      from (select lo, lag(hi) over (order by lo) as prev_hi from collect_ranges where client_id = c.id) s) r on true
    where c.id = ${clientId}`,
  );
  if (!row) throw new Error(`Client ${clientId} not found`);
  const seen = Number(row.seen);
  const missing = Number(row.missing);
  const unprobed = Number(row.unprobed);
  const floorKnown = row.floor_id !== null;
  const toRead = floorKnown ? Number(row.to_read) : null;
  const known = seen + missing + unprobed + (toRead ?? 0);
  return {
    historyStart: row.oldest_id === null ? null : { id: Number(row.oldest_id), startedAt: iso(row.oldest_at) },
    newest: row.newest_id === null ? null : { id: Number(row.newest_id), startedAt: iso(row.newest_at) },
    floorId: row.floor_id === null ? null : Number(row.floor_id),
    idsSeen: seen,
    idsMissing: missing,
    missingFrom: iso(row.missing_from),
    missingTo: iso(row.missing_to),
    idsUnprobed: unprobed,
    idsToRead: toRead,
    running: Number(row.running),
    collectedShare: known === 0 ? null : seen / known,
    complete: floorKnown && toRead === 0 && Number(row.spans) <= 1 && unprobed === 0,
  };
}

/**
 * Missing ids whose time span overlaps [from, to): what a page says it cannot count for
 * a range. A missing span without neighbours on one side is open on that side.
 */
export async function missingInRange(db: Db, clientId: number, from: Date, to: Date): Promise<number> {
  const [row] = await queryRows<{ n: number | string }>(
    db,
    sql`select coalesce(sum(hi - lo + 1), 0)::bigint as n from collect_gaps
      where client_id = ${clientId} and state = 'missing'
        and coalesce(after_at, '-infinity') < ${to.toISOString()}::timestamptz
        and coalesce(before_at, 'infinity') >= ${from.toISOString()}::timestamptz`,
  );
  return Number(row?.n ?? 0);
}
