/**
 * Coverage, as shown to people: how much of a client's n8n history Flowscope holds, and
 * what it knows it does not. Read from the coverage ledger (ledger.ts) and the stored
 * executions; nothing here is estimated into counts: missing executions stay missing.
 */
import { sql } from "drizzle-orm";
import { isoTimeOrNull, queryRows, type Db } from "@/lib/db/database";
import { sqlLiterals } from "@/lib/db/sql-literals";
import { AppError } from "@/lib/core/errors";
import { UNFINISHED_STATUSES } from "@/lib/core/vocabulary";

export interface CoverageEnd {
  id: number;
  startedAt: string | null;
}

export interface Coverage {
  /** Where this client's history starts: the floor and when it ran (the oldest held before the floor is known). */
  historyStart: CoverageEnd | null;
  /** The newest execution held. */
  newest: CoverageEnd | null;
  /** The oldest id n8n listed when a sync first read its list to the end; null until then. */
  floorId: number | null;
  /** Executions collected: stored now, or counted and then dropped by raw retention. */
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
  /** Stored executions n8n still reports running, waiting or new (re-read every sync until they finish). */
  running: number;
  /** Seen ÷ every id known on the line (seen, missing, unprobed, to read); null when nothing is known. */
  collectedShare: number | null;
  /** The whole line from the floor to the newest id is read and every skipped id asked for. */
  complete: boolean;
}

const UNFINISHED = sqlLiterals(UNFINISHED_STATUSES);

/** The counts of a client's coverage, as lists and /health show them. */
export type CoverageCounts = Pick<
  Coverage,
  "floorId" | "idsSeen" | "idsMissing" | "idsUnprobed" | "idsToRead" | "running" | "collectedShare" | "complete"
>;

interface CountsRow {
  client_id: number;
  floor_id: number | string | null;
  seen: number | string;
  running: number | string;
  missing: number | string;
  unprobed: number | string;
  spans: number | string;
  to_read: number | string;
}

/**
 * Coverage counts of every client (or one), in one statement of grouped subqueries, so
 * the cost does not grow with the number of clients. The one place these figures are
 * derived; loadCoverage adds the ends and dates of one client.
 */
export async function loadCoverageCounts(db: Db, clientId?: number): Promise<Map<number, CoverageCounts>> {
  const only = (column: string) => (clientId === undefined ? sql`true` : sql`${sql.raw(column)} = ${clientId}`);
  const rows = await queryRows<CountsRow>(
    db,
    sql`select c.id as client_id, c.history_floor_id as floor_id,
      coalesce(e.seen, 0) + c.executions_retired as seen, coalesce(e.running, 0) as running,
      coalesce(g.missing, 0) as missing, coalesce(g.unprobed, 0) as unprobed,
      coalesce(r.spans, 0) as spans, coalesce(r.to_read, 0) as to_read
    from clients c
    left join (select client_id, count(*) as seen,
        count(*) filter (where status in (${UNFINISHED})) as running
      from executions where ${only("client_id")} group by client_id) e on e.client_id = c.id
    left join (select client_id,
        sum(hi - lo + 1) filter (where state = 'missing') as missing,
        sum(hi - lo + 1) filter (where state = 'unprobed') as unprobed
      from collect_gaps where ${only("client_id")} group by client_id) g on g.client_id = c.id
    -- Holes: the distance from each read span down to the next one, above the floor (spans
    -- under it are single executions found there later, with nothing to read between them).
    left join (select s.client_id, count(*) filter (where s.hi >= f.history_floor_id) as spans,
        sum(s.lo - s.prev_hi - 1) filter (where s.prev_hi >= f.history_floor_id) as to_read
      from (select client_id, lo, hi, lag(hi) over (partition by client_id order by lo) as prev_hi
        from collect_ranges where ${only("client_id")}) s
      join clients f on f.id = s.client_id group by s.client_id) r on r.client_id = c.id
    where ${only("c.id")}`,
  );
  return new Map(rows.map((row) => [Number(row.client_id), countsOf(row)]));
}

function countsOf(row: CountsRow): CoverageCounts {
  const seen = Number(row.seen);
  const missing = Number(row.missing);
  const unprobed = Number(row.unprobed);
  const floorKnown = row.floor_id !== null;
  const toRead = floorKnown ? Number(row.to_read) : null;
  const known = seen + missing + unprobed + (toRead ?? 0);
  return {
    floorId: floorKnown ? Number(row.floor_id) : null,
    idsSeen: seen,
    idsMissing: missing,
    idsUnprobed: unprobed,
    idsToRead: toRead,
    running: Number(row.running),
    collectedShare: known === 0 ? null : seen / known,
    complete: floorKnown && toRead === 0 && Number(row.spans) <= 1 && unprobed === 0,
  };
}

interface EndsRow {
  start_at: string | Date | null;
  oldest_id: number | string | null;
  oldest_at: string | Date | null;
  newest_id: number | string | null;
  newest_at: string | Date | null;
  missing_from: string | Date | null;
  missing_to: string | Date | null;
}

/** One client's coverage: its counts, where its history starts and ends, when its missing ids ran. */
export async function loadCoverage(db: Db, clientId: number): Promise<Coverage> {
  const [counts, [ends]] = await Promise.all([
    loadCoverageCounts(db, clientId),
    queryRows<EndsRow>(
      db,
      sql`select (select history_start_at from clients where id = ${clientId}) as start_at,
        o.n8n_execution_id as oldest_id, o.started_at as oldest_at,
        n.n8n_execution_id as newest_id, n.started_at as newest_at,
        (select min(after_at) from collect_gaps where client_id = ${clientId} and state = 'missing') as missing_from,
        (select max(before_at) from collect_gaps where client_id = ${clientId} and state = 'missing') as missing_to
      from (select 1) one
      left join lateral (select n8n_execution_id, started_at from executions
        where client_id = ${clientId} order by n8n_execution_id asc limit 1) o on true
      left join lateral (select n8n_execution_id, started_at from executions
        where client_id = ${clientId} order by n8n_execution_id desc limit 1) n on true`,
    ),
  ]);
  const own = counts.get(clientId);
  if (!own) throw new AppError("not_found", `Client ${clientId} not found`);
  return {
    ...own,
    historyStart:
      own.floorId !== null
        ? { id: own.floorId, startedAt: isoTimeOrNull(ends.start_at ?? ends.oldest_at) }
        : ends.oldest_id === null
          ? null
          : { id: Number(ends.oldest_id), startedAt: isoTimeOrNull(ends.oldest_at) },
    newest: ends.newest_id === null ? null : { id: Number(ends.newest_id), startedAt: isoTimeOrNull(ends.newest_at) },
    missingFrom: isoTimeOrNull(ends.missing_from),
    missingTo: isoTimeOrNull(ends.missing_to),
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
