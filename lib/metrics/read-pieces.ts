/**
 * Reads the pieces of decomposed ranges (decompose.ts) for one or more clients: bucket
 * pieces from the client-level rollup rows (one row per client and bucket, whatever the
 * number of workflows), raw pieces from production executions and counted LLM usage.
 * Each piece is read once however many answers use it: the overview's current period,
 * previous period and daily trend come from one set of rows.
 *
 * The bucket rows go through the data-versioned cache, decoded: the bucket set of a
 * relative range ("last 30 days") stays the same for the rest of the hour, while the
 * answers built from it change key every second. Raw edges are a short index range scan
 * each, read whenever an answer is computed.
 */
import { sql } from "drizzle-orm";
import { num, queryRows, type Db } from "@/lib/db/database";
import { arrayParam } from "@/lib/db/sql-literals";
import { denseFromDurations, sparseFromPacked } from "@/lib/core/histogram";
import { countedUsage } from "@/lib/ingest/rollups/usage";
import { executionCountsSql } from "@/lib/ingest/rollups/execution-counts";
import { cachedQuery } from "./cache";
import { pieceKey, type Decomposition, type Piece } from "./decompose";
import { addTally, emptyTally, sumTallies, type Tally } from "./tally";

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
import { figuresFromRow } from "./totals";

type BucketPiece = Extract<Piece, { kind: "bucket" }>;

/** Tallies per piece key, then per group id (a client's or a workflow's). */
type PieceTallies = Map<string, Map<number, Tally>>;

/**
 * What a tally is per: each client (client-level rows), or each workflow of the clients
 * (per-workflow rows, for tables and drill-downs by workflow).
 */
export type PieceGrouping = "client" | "workflow";

/** What `readPieces` returns: the tallies of any of the decompositions it was given. */
export interface PieceReader {
  /** One group's tally of `d`; undefined when none of its pieces holds data. */
  tally(d: Decomposition, id: number): Tally | undefined;
  /** Every group with data in `d`, and its tally. */
  groups(d: Decomposition): Map<number, Tally>;
}

/**
 * A bucket row as readBuckets sends it: piece index (from 1), group id, then the figures
 * in the order `tallyFromBucket` reads them, the histogram last as its packed elements.
 */
type BucketRow = string[];

/**
 * The bucket rows of `buckets` as one text value: rows separated by ';', fields by ',',
 * histogram elements by ' ', an empty field for NULL. Split by V8 in a few milliseconds;
 * as result rows, the driver's per-field and int8[] parsing took longer than the query
 * for the thousands of rows of a per-workflow range, and json_agg cost the server twice
 * what this does.
 */
async function readBuckets(
  db: Db,
  clientIds: number[],
  buckets: BucketPiece[],
  by: PieceGrouping,
): Promise<BucketRow[]> {
  if (buckets.length === 0) return [];
  const levels = buckets.map((p) => p.level);
  const starts = buckets.map((p) => p.start.toISOString());
  const [row] = await queryRows<{ rows: string | null }>(
    db,
    sql`select string_agg(concat_ws(',', k.i, ${by === "client" ? sql`c.client_id` : sql`c.workflow_id`},
      c.total, c.success, c.error, c.crashed, c.canceled, c.other, c.duration_count, c.duration_sum_ms,
      coalesce(c.duration_min_ms::text, ''), coalesce(c.duration_max_ms::text, ''), c.peak_concurrency,
      c.minutes_saved, c.llm_calls, c.tokens_in, c.tokens_out, c.cost_micro_usd,
      array_to_string(c.latency_histogram, ' ')), ';') as rows
    from unnest(${arrayParam(levels)}::text[], ${arrayParam(starts)}::timestamptz[]) with ordinality as k(g, b, i)
    join ${sql.raw(by === "client" ? "client_rollups" : "rollups")} c on c.client_id = any (${arrayParam(clientIds)}::int[])
      and c.granularity = k.g and c.bucket_start = k.b`,
  );
  if (!row.rows) return [];
  return row.rows.split(";").map((text) => text.split(","));
}

/** Raw intervals as the unnest of two arrays, numbered from 1 in the order given. */
function intervalsSql(raws: Array<{ from: Date; to: Date }>) {
  const from = arrayParam(raws.map((r) => r.from.toISOString()));
  const to = arrayParam(raws.map((r) => r.to.toISOString()));
  return sql`unnest(${from}::timestamptz[], ${to}::timestamptz[]) with ordinality as iv(f, t, i)`;
}

const numbers = (value: unknown): number[] =>
  Array.isArray(value)
    ? value.map(Number)
    : typeof value === "string" && value.length > 2
      ? value.replace(/[{}]/g, "").split(",").map(Number)
      : [];

/**
 * Peak concurrency of executions from their start and stop times (ms): a running sum of
 * +1 at each start and -1 at each stop, a stop before a start at the same instant; the
 * rule the hour buckets are built by (lib/ingest/rollups/compute.ts).
 */
export function peakConcurrency(starts: number[], stops: number[]): number {
  if (starts.length <= 1) return starts.length;
  const events = [...starts.map((at) => [at, 1]), ...stops.map((at) => [at, -1])].sort(
    (a, b) => a[0] - b[0] || a[1] - b[1],
  );
  let running = 0;
  let peak = 1;
  for (const [, delta] of events) {
    running += delta;
    peak = Math.max(peak, running);
  }
  return peak;
}

async function readRaw(db: Db, clientIds: number[], raws: Array<{ from: Date; to: Date }>, by: PieceGrouping) {
  if (raws.length === 0) return { executions: [], usage: [] };
  const ids = sql`${arrayParam(clientIds)}::int[]`;
  const group = (alias: string) => sql.raw(`${alias}.${by === "client" ? "client_id" : "workflow_id"}`);
  const [executions, usage] = await Promise.all([
    queryRows<Record<string, unknown>>(
      db,
      sql`select iv.i, ${group("e")} as group_id, ${executionCountsSql()},
        array_agg(e.duration_ms) filter (where e.duration_ms is not null) as durations,
        array_agg(extract(epoch from e.started_at) * 1000) as starts,
        array_agg(extract(epoch from greatest(e.stopped_at, e.started_at)) * 1000)
          filter (where e.stopped_at is not null) as stops
      from ${intervalsSql(raws)} cross join lateral (
        select * from executions e
        where e.client_id = any (${ids}) and e.started_at >= iv.f and e.started_at < iv.t and e.is_production
        offset 0) e
      join workflows w on w.id = e.workflow_id join clients c on c.id = e.client_id
      group by 1, 2`,
    ),
    // Rollups count LLM usage attributed to a workflow, by when it occurred, except usage
    // of non-production executions (countedUsage): the same rule here.
    queryRows<Record<string, unknown>>(
      db,
      sql`select iv.i, ${group("u")} as group_id, count(*) as llm_calls, coalesce(sum(u.prompt_tokens), 0)::float8 as tokens_in,
        coalesce(sum(u.completion_tokens), 0)::float8 as tokens_out,
        coalesce(sum(coalesce(u.cost_micro_usd, 0)), 0)::float8 as cost_micro_usd
      from ${intervalsSql(raws)} cross join lateral (
        select * from llm_usage u
        where u.client_id = any (${ids}) and u.occurred_at >= iv.f and u.occurred_at < iv.t
          and u.workflow_id is not null and ${countedUsage(sql.raw("u"))}
        offset 0) u
      group by 1, 2`,
    ),
  ]);
  return { executions, usage };
}

/** Where the histogram's elements start in a bucket row. */
const HISTOGRAM_FIELD = 18;

function tallyFromBucket(row: BucketRow): Tally {
  const n = (at: number) => Number(row[at]);
  const orNull = (at: number) => (row[at] === "" ? null : Number(row[at]));
  const histogram = row[HISTOGRAM_FIELD];
  return {
    total: n(2),
    success: n(3),
    error: n(4),
    crashed: n(5),
    canceled: n(6),
    other: n(7),
    durationCount: n(8),
    durationSumMs: n(9),
    durationMinMs: orNull(10),
    durationMaxMs: orNull(11),
    peakConcurrency: n(12),
    minutesSaved: n(13),
    llmCalls: n(14),
    tokensIn: n(15),
    tokensOut: n(16),
    costMicroUsd: n(17),
    histogram: sparseFromPacked(histogram === "" ? [] : histogram.split(" ").map(Number)),
  };
}

/** Sets a piece's tally of a group, adding to one already there (a raw edge's runs and its LLM usage). */
function setTally(out: PieceTallies, key: string, id: number, t: Tally): void {
  let byGroup = out.get(key);
  if (!byGroup) out.set(key, (byGroup = new Map()));
  const existing = byGroup.get(id);
  byGroup.set(id, existing ? addTally(addTally(emptyTally(), existing), t) : t);
}

/** A bucket row's tally with its piece key and group: what the cache keeps, decoded once. */
interface BucketTally {
  key: string;
  id: number;
  tally: Tally;
}

/** Reads in flight per database handle and read key, shared by identical concurrent calls. */
const inFlight = new WeakMap<Db, Map<string, Promise<PieceReader>>>();

/**
 * Reads every piece of `decompositions` for `clientIds`, tallied per client or per
 * workflow (bucket rows in one query, raw edges in one query each for executions and
 * LLM usage). Identical reads started while one is in flight share it: the execution
 * dashboard's latency and performance sections ask for the same pieces at once.
 */
export function readPieces(
  db: Db,
  clientIds: number[],
  decompositions: Decomposition[],
  by: PieceGrouping = "client",
): Promise<PieceReader> {
  const unique = new Map<string, Piece>();
  for (const d of decompositions) for (const p of d.pieces) unique.set(pieceKey(p), p);
  const ids = [...new Set(clientIds)].sort((a, b) => a - b);
  const key = `${by}|${ids.join(",")}|${[...unique.keys()].sort().join("|")}`;
  let reads = inFlight.get(db);
  if (!reads) inFlight.set(db, (reads = new Map()));
  const running = reads.get(key);
  if (running) return running;
  const read = readUniquePieces(db, ids, [...unique.values()], by).finally(() => reads.delete(key));
  reads.set(key, read);
  return read;
}

async function readUniquePieces(db: Db, ids: number[], pieces: Piece[], by: PieceGrouping): Promise<PieceReader> {
  const raws = pieces.filter((p) => p.kind === "raw");
  // In key order, so the cache key does not depend on the order the answers were given in.
  const bucketPieces = pieces
    .filter((p): p is BucketPiece => p.kind === "bucket")
    .sort((a, b) => cmp(pieceKey(a), pieceKey(b)));
  const bucketKeys = bucketPieces.map(pieceKey);
  const out: PieceTallies = new Map();
  if (ids.length === 0) return reader(out);

  const [buckets, raw] = await Promise.all([
    // Cached decoded: the tallies are never changed, only added into fresh ones.
    cachedQuery(
      db,
      { endpoint: `buckets/${by}`, clientId: ids.length === 1 ? ids[0] : null, params: { ids, bucketKeys } },
      async (): Promise<BucketTally[]> =>
        (await readBuckets(db, ids, bucketPieces, by)).map((row) => ({
          key: bucketKeys[Number(row[0]) - 1],
          id: Number(row[1]),
          tally: tallyFromBucket(row),
        })),
    ),
    readRaw(db, ids, raws, by),
  ]);
  for (const b of buckets) setTally(out, b.key, b.id, b.tally);
  const rawKey = (row: Record<string, unknown>) => pieceKey(raws[Number(row.i) - 1]);
  for (const row of raw.executions) {
    const { percentiles: _, ...figures } = figuresFromRow(row);
    setTally(out, rawKey(row), Number(row.group_id), {
      ...figures,
      peakConcurrency: peakConcurrency(numbers(row.starts), numbers(row.stops)),
      histogram: denseFromDurations(numbers(row.durations)),
    });
  }
  for (const row of raw.usage) {
    setTally(out, rawKey(row), Number(row.group_id), {
      ...emptyTally(),
      llmCalls: num(row.llm_calls),
      tokensIn: num(row.tokens_in),
      tokensOut: num(row.tokens_out),
      costMicroUsd: num(row.cost_micro_usd),
    });
  }
  return reader(out);
}

function reader(byPiece: PieceTallies): PieceReader {
  const tally = (d: Decomposition, id: number) => sumTallies(d.pieces.map((p) => byPiece.get(pieceKey(p))?.get(id)));
  return {
    tally,
    groups: (d) => {
      const ids = new Set<number>();
      for (const p of d.pieces) for (const id of byPiece.get(pieceKey(p))?.keys() ?? []) ids.add(id);
      return new Map([...ids].map((id) => [id, tally(d, id) as Tally]));
    },
  };
}
