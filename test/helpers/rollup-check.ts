import { sql } from "drizzle-orm";
import { expect } from "vitest";
import { queryRows, type Db } from "@/lib/db/database";
import { GRANULARITIES, type Granularity } from "@/lib/core/vocabulary";
import { createClient, createWorkflow } from "./factories";

/** The counted columns compared; min/max, histograms, peaks and minutes are not. */
export const COUNTED_COLUMNS = [
  "total",
  "success",
  "error",
  "crashed",
  "canceled",
  "other",
  "duration_count",
  "duration_sum_ms",
  "llm_calls",
  "tokens_in",
  "tokens_out",
  "cost_micro_usd",
] as const;

export type CountedBucket = { workflow_id: number; bucket_start: string } & Record<
  (typeof COUNTED_COLUMNS)[number],
  number
>;

/**
 * Archive levels a bucket of each granularity includes: its own and those of the levels it
 * is built from (a week is built from days, which are built from hours).
 */
const ARCHIVE_LEVELS: Record<Granularity, string> = {
  hour: "'hour'",
  day: "'hour', 'day'",
  week: "'hour', 'day', 'week'",
  month: "'hour', 'day', 'month'",
};

const columnList = sql.raw(COUNTED_COLUMNS.join(", "));
const sums = sql.raw(COUNTED_COLUMNS.map((c) => `sum(${c})::float8 as ${c}`).join(", "));

function normalise(rows: Array<Record<string, unknown>>): CountedBucket[] {
  return rows.map((r) => {
    const out: Record<string, number | string> = {
      workflow_id: Number(r.workflow_id),
      bucket_start: new Date(
        String(r.bucket_start instanceof Date ? r.bucket_start.toISOString() : r.bucket_start),
      ).toISOString(),
    };
    for (const c of COUNTED_COLUMNS) out[c] = Number(r[c]);
    return out as CountedBucket;
  });
}

/**
 * What every `granularity` bucket of the client should count, straight from the sources:
 * raw production executions, LLM usage not tied to a stored non-production execution, and
 * archive rows (what retention deleted) of the bucket's level and the levels below it.
 * Plain GROUP BY over a UNION ALL, independent of lib/ingest/rollups.
 */
export async function expectedBuckets(db: Db, clientId: number, granularity: Granularity): Promise<CountedBucket[]> {
  const g = sql.raw(`'${granularity}'`);
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`with leaves as (
      select e.workflow_id, date_trunc('hour', e.started_at) as at, 1 as total, (e.status = 'success')::int as success,
        (e.status = 'error')::int as error, (e.status = 'crashed')::int as crashed,
        (e.status = 'canceled')::int as canceled,
        (e.status not in ('success', 'error', 'crashed', 'canceled'))::int as other,
        (e.duration_ms is not null)::int as duration_count, coalesce(e.duration_ms, 0)::bigint as duration_sum_ms,
        0 as llm_calls, 0::bigint as tokens_in, 0::bigint as tokens_out, 0::bigint as cost_micro_usd
      from executions e where e.client_id = ${clientId} and e.is_production and e.started_at is not null
      union all
      select u.workflow_id, date_trunc('hour', u.occurred_at), 0, 0, 0, 0, 0, 0, 0, 0, 1, u.prompt_tokens, u.completion_tokens,
        coalesce(u.cost_micro_usd, 0)
      from llm_usage u where u.client_id = ${clientId} and u.workflow_id is not null
        and not exists (select 1 from executions x where x.client_id = u.client_id
          and x.n8n_execution_id = u.n8n_execution_id and not x.is_production)
      union all
      select a.workflow_id, a.bucket_start, ${columnList} from rollup_archive a
      where a.client_id = ${clientId} and a.granularity in (${sql.raw(ARCHIVE_LEVELS[granularity])})),
    -- The zone of the hour or bucket at \`at\`: an earlier zone until its era ended, else
    -- the client's; a bucket never starts before its era.
    zoned as (
      select l.*, coalesce(era.time_zone, c.time_zone) as zone,
        case when era.time_zone is null then c.time_zone_from else era.starts end as starts
      from leaves l cross join clients c
      left join lateral (
        select e.time_zone, (select max(p.until) from client_zone_eras p
          where p.client_id = e.client_id and p.until < e.until) as starts
        from client_zone_eras e where e.client_id = c.id and e.until > l.at order by e.until limit 1) era on true
      where c.id = ${clientId})
    select workflow_id, ${
      granularity === "hour" ? sql`date_trunc('hour', at)` : sql`greatest(date_trunc(${g}, at, zone), starts)`
    } as bucket_start, ${sums}
    from zoned group by 1, 2 order by 1, 2`,
  );
  return normalise(rows);
}

/** The client's stored `granularity` buckets, counted columns only. */
export async function storedBuckets(db: Db, clientId: number, granularity: Granularity): Promise<CountedBucket[]> {
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`select workflow_id, bucket_start, ${columnList} from rollups
      where client_id = ${clientId} and granularity = ${granularity} order by 1, 2`,
  );
  return normalise(rows);
}

/**
 * Asserts that every hour, day, week and month bucket of the client counts exactly what
 * its sources and archive hold: no bucket missing, none extra, no column off.
 */
export async function expectRollupsMatchRaw(db: Db, clientId: number): Promise<void> {
  for (const granularity of GRANULARITIES) {
    const expected = await expectedBuckets(db, clientId, granularity);
    const stored = await storedBuckets(db, clientId, granularity);
    expect(stored, `${granularity} buckets of client ${clientId}`).toEqual(expected);
  }
  await expectClientRowsMatchWorkflowRows(db, clientId);
}

/**
 * Asserts that every client-level row (client_rollups) is the sum of the client's
 * per-workflow rows of the same bucket, every measure including the merged histogram,
 * and that no bucket has one without the other.
 */
export async function expectClientRowsMatchWorkflowRows(db: Db, clientId: number): Promise<void> {
  const measures = [...COUNTED_COLUMNS, "minutes_saved"];
  const summed = sql.raw(measures.map((c) => `sum(${c})::float8 as ${c}`).join(", "));
  const plain = sql.raw(measures.map((c) => `${c}::float8 as ${c}`).join(", "));
  const norm = (rows: Array<Record<string, unknown>>) =>
    rows.map((r) => {
      const out: Record<string, unknown> = {
        granularity: r.granularity,
        bucket_start: new Date(
          String(r.bucket_start instanceof Date ? r.bucket_start.toISOString() : r.bucket_start),
        ).toISOString(),
        duration_min_ms: r.duration_min_ms === null ? null : Number(r.duration_min_ms),
        duration_max_ms: r.duration_max_ms === null ? null : Number(r.duration_max_ms),
        peak_concurrency: Number(r.peak_concurrency),
      };
      for (const c of measures) out[c] = Math.round(Number(r[c]) * 1e6) / 1e6;
      return out;
    });
  const fromWorkflows = await queryRows<Record<string, unknown>>(
    db,
    sql`select granularity, bucket_start, ${summed}, min(duration_min_ms) as duration_min_ms,
      max(duration_max_ms) as duration_max_ms, max(peak_concurrency) as peak_concurrency
    from rollups where client_id = ${clientId} group by 1, 2 order by 1, 2`,
  );
  const clientRows = await queryRows<Record<string, unknown>>(
    db,
    sql`select granularity, bucket_start, ${plain}, duration_min_ms, duration_max_ms, peak_concurrency
    from client_rollups where client_id = ${clientId} order by 1, 2`,
  );
  expect(norm(clientRows), `client rows of client ${clientId}`).toEqual(norm(fromWorkflows));
  const histograms = await queryRows<{ granularity: string; bucket_start: unknown; mismatch: boolean }>(
    db,
    // Packed elements (lib/core/histogram.ts): slot in the high 32 bits, count in the low.
    sql`select c.granularity, c.bucket_start, c.latency_histogram <> coalesce((
        select array_agg(s * 4294967296 + n order by s) from (select x >> 32 as s, sum(x & 4294967295)::int8 as n
          from rollups r cross join lateral unnest(r.latency_histogram) x
          where r.client_id = c.client_id and r.granularity = c.granularity and r.bucket_start = c.bucket_start
          group by 1) m), '{}'::int8[]) as mismatch
    from client_rollups c where c.client_id = ${clientId}`,
  );
  expect(
    histograms.filter((h) => h.mismatch),
    `client histograms of client ${clientId}`,
  ).toEqual([]);
}

/** Sum of `total` over the client's month buckets: every counted execution once. */
export async function monthTotal(db: Db, clientId: number): Promise<number> {
  const [row] = await queryRows<{ n: unknown }>(
    db,
    sql`select coalesce(sum(total), 0)::float8 as n from rollups where client_id = ${clientId} and granularity = 'month'`,
  );
  return Number(row.n);
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/** Retention settings of the rollup tests: hours kept a year, so raw and hour horizons differ. */
export const TEST_RETENTION = { rawDays: 90, hourlyDays: 365, dailyDays: 730, weeklyDays: 730 };
/** Whole hours, so each test knows which bucket a row lands in. */
export const ago = (ms: number) => new Date(Math.floor((Date.now() - ms) / HOUR) * HOUR);

/**
 * 10:00 UTC on the day `ms` ago: a test that adds a few hours to it stays in that day
 * whenever it runs (from `ago`, it crossed midnight when run late in the UTC evening).
 */
export const morningAgo = (ms: number) => new Date(Math.floor((Date.now() - ms) / (24 * HOUR)) * 24 * HOUR + 10 * HOUR);
export const plus = (d: Date, ms: number) => new Date(d.getTime() + ms);

/** A client with one workflow, and the ids insertExecutions takes. */
export async function clientWithWorkflow(db: Db) {
  const client = await createClient(db);
  const wf = await createWorkflow(db, client.id, { name: "Invoice sync" });
  return { client, wf, base: { clientId: client.id, workflowId: wf.id } };
}
