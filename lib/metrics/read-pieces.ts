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
import { denseFromDurations, denseFromPacked } from "@/lib/core/histogram";
import { countedUsage } from "@/lib/ingest/rollups/usage";
import { executionCountsSql } from "@/lib/ingest/rollups/execution-counts";
import { cachedQuery } from "./cache";
import { pieceKey, type Decomposition, type Piece } from "./decompose";
import { addTally, emptyTally, sumTallies, type Tally } from "./tally";
import { figuresFromRow } from "./totals";

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

interface BucketRow extends Record<string, unknown> {
  group_id: number;
  granularity: string;
  bucket_start: Date | string;
  /** Packed (lib/core/histogram.ts), as the driver returns int8[]. */
  latency_histogram: unknown;
}

async function readBuckets(db: Db, clientIds: number[], pieces: Piece[], by: PieceGrouping): Promise<BucketRow[]> {
  const buckets = pieces.filter((p) => p.kind === "bucket");
  if (buckets.length === 0) return [];
  const levels = buckets.map((p) => p.level);
  const starts = buckets.map((p) => p.start.toISOString());
  return queryRows<BucketRow>(
    db,
    sql`select ${by === "client" ? sql`c.client_id` : sql`c.workflow_id`} as group_id, c.granularity, c.bucket_start, c.total, c.success, c.error, c.crashed, c.canceled,
      c.other, c.duration_count, c.duration_sum_ms, c.duration_min_ms, c.duration_max_ms, c.peak_concurrency,
      c.minutes_saved, c.llm_calls, c.tokens_in, c.tokens_out, c.cost_micro_usd, c.latency_histogram
    from unnest(${arrayParam(levels)}::text[], ${arrayParam(starts)}::timestamptz[]) as k(g, b)
    join ${sql.raw(by === "client" ? "client_rollups" : "rollups")} c on c.client_id = any (${arrayParam(clientIds)}::int[])
      and c.granularity = k.g and c.bucket_start = k.b`,
  );
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

function tallyFromBucket(row: BucketRow): Tally {
  const { percentiles: _, ...figures } = figuresFromRow(row);
  return { ...figures, histogram: denseFromPacked(row.latency_histogram) };
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

/**
 * Reads every piece of `decompositions` for `clientIds`, tallied per client or per
 * workflow (bucket rows in one query, raw edges in one query each for executions and
 * LLM usage).
 */
export async function readPieces(
  db: Db,
  clientIds: number[],
  decompositions: Decomposition[],
  by: PieceGrouping = "client",
): Promise<PieceReader> {
  const unique = new Map<string, Piece>();
  for (const d of decompositions) for (const p of d.pieces) unique.set(pieceKey(p), p);
  const pieces = [...unique.values()];
  const raws = pieces.filter((p) => p.kind === "raw");
  const bucketKeys = pieces
    .filter((p) => p.kind === "bucket")
    .map(pieceKey)
    .sort();
  const ids = [...new Set(clientIds)].sort((a, b) => a - b);
  const out: PieceTallies = new Map();
  if (ids.length === 0) return reader(out);

  const [buckets, raw] = await Promise.all([
    // Cached decoded: the tallies are never changed, only added into fresh ones.
    cachedQuery(
      db,
      { endpoint: `buckets/${by}`, clientId: ids.length === 1 ? ids[0] : null, params: { ids, bucketKeys } },
      async (): Promise<BucketTally[]> =>
        (await readBuckets(db, ids, pieces, by)).map((row) => ({
          key: `${row.granularity}:${new Date(row.bucket_start).toISOString()}`,
          id: Number(row.group_id),
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
