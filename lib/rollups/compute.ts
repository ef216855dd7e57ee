/**
 * The SQL that computes rollup buckets. Work is set-based: the buckets to recompute are
 * first collected in a transaction-local temp table (`flowscope_rollup_targets`), then one
 * INSERT ... SELECT ... GROUP BY per granularity upserts them and deletes the targets
 * whose sources are gone, so a bucket never stays stale. Must run inside a transaction.
 */
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Db } from "@/lib/db/client";
import type { Granularity } from "@/lib/db/schema";
import { LN_GAMMA, ZERO_KEY } from "./histogram";
import { CHILD_GRANULARITY, granularitySql, intervalSql } from "./buckets";
import { countedUsage } from "./usage";

const TARGETS = sql.raw("flowscope_rollup_targets");

export interface WriteCounts {
  written: number;
  deleted: number;
}

/** SQL twin of `latencyBucketKey` (histogram.ts) for an integer ms expression. */
export function latencyKeySql(column: SQL): SQL {
  const lnGamma = sql.raw(`${LN_GAMMA}::float8`);
  return sql`(case when ${column} <= 0 then ${sql.raw(`'${ZERO_KEY}'`)} else ceil(ln((${column})::float8) / ${lnGamma})::int::text end)`;
}

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/** Creates (or empties, when a caller's transaction already made it) the target table. */
export async function prepareTargets(db: Db): Promise<void> {
  await db.execute(sql`create temp table if not exists ${TARGETS} (
    granularity text not null, client_id integer not null, workflow_id integer not null,
    bucket_start timestamptz not null) on commit drop`);
  await db.execute(sql`delete from ${TARGETS}`);
}

/**
 * Adds candidate buckets `(client_id, workflow_id, bucket_start)` as targets, except
 * frozen ones: a bucket that starts before `cutoff` (its sources may have been partly
 * deleted by retention) and already exists keeps its value. Older buckets that do not
 * exist yet (first import of old history) are still computed.
 */
export async function addTargets(
  db: Db,
  granularity: Granularity,
  candidates: SQL,
  cutoff: Date,
): Promise<number> {
  const g = granularitySql(granularity);
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`with added as (
      insert into ${TARGETS} (granularity, client_id, workflow_id, bucket_start)
      select distinct ${g}, c.client_id, c.workflow_id, c.bucket_start from (${candidates}) c
      where c.bucket_start >= ${ts(cutoff)} or not exists (
        select 1 from rollups r where r.client_id = c.client_id and r.granularity = ${g}
          and r.bucket_start = c.bucket_start and r.workflow_id = c.workflow_id)
      returning 1)
    select count(*)::int as n from added`,
  );
  // Without statistics the planner guesses the temp table's size badly.
  await db.execute(sql`analyze ${TARGETS}`);
  return Number(row.n);
}

/** Candidates for a parent level: the parents of the child level's targets. */
export function parentsOfTargets(granularity: Exclude<Granularity, "hour">): SQL {
  const child = granularitySql(CHILD_GRANULARITY[granularity]);
  return sql`select distinct client_id, workflow_id, date_trunc(${granularitySql(granularity)}, bucket_start) as bucket_start
    from ${TARGETS} where granularity = ${child}`;
}

/**
 * Upserts the `computed` rows as `granularity` buckets and deletes the targets missing
 * from them (their sources are gone). EXCEPT, not an anti-join: a misestimated CTE can
 * never turn it into a nested loop.
 */
async function writeBuckets(db: Db, granularity: Granularity, ctes: SQL): Promise<WriteCounts> {
  const g = granularitySql(granularity);
  const [row] = await queryRows<{ written: number; deleted: number }>(
    db,
    sql`with ${ctes},
    upserted as (
      insert into rollups (client_id, workflow_id, granularity, bucket_start, total, success, error,
        crashed, canceled, other, duration_count, duration_sum_ms, duration_min_ms, duration_max_ms,
        latency_histogram, peak_concurrency, minutes_saved, llm_calls, tokens_in, tokens_out,
        cost_micro_usd, computed_at)
      select client_id, workflow_id, ${g}, bucket_start, total, success, error, crashed, canceled,
        other, duration_count, duration_sum_ms, duration_min_ms, duration_max_ms, latency_histogram,
        peak_concurrency, minutes_saved, llm_calls, tokens_in, tokens_out, cost_micro_usd, now()
      from computed
      on conflict (client_id, granularity, bucket_start, workflow_id) do update set
        total = excluded.total, success = excluded.success, error = excluded.error,
        crashed = excluded.crashed, canceled = excluded.canceled, other = excluded.other,
        duration_count = excluded.duration_count, duration_sum_ms = excluded.duration_sum_ms,
        duration_min_ms = excluded.duration_min_ms, duration_max_ms = excluded.duration_max_ms,
        latency_histogram = excluded.latency_histogram, peak_concurrency = excluded.peak_concurrency,
        minutes_saved = excluded.minutes_saved, llm_calls = excluded.llm_calls,
        tokens_in = excluded.tokens_in, tokens_out = excluded.tokens_out,
        cost_micro_usd = excluded.cost_micro_usd, computed_at = now()
      returning 1),
    stale as (
      select client_id, workflow_id, bucket_start from ${TARGETS} where granularity = ${g}
      except select client_id, workflow_id, bucket_start from computed),
    deleted as (
      delete from rollups r using stale s
      where r.client_id = s.client_id and r.granularity = ${g} and r.bucket_start = s.bucket_start
        and r.workflow_id = s.workflow_id
      returning 1)
    select (select count(*) from upserted)::int as written, (select count(*) from deleted)::int as deleted`,
  );
  return { written: Number(row.written), deleted: Number(row.deleted) };
}

/*
 * Plan shape, for millions of rows on PGlite (which never gathers statistics): sources are
 * read by LATERAL index range scans per target bucket (`offset 0` keeps the planner from
 * flattening them into a merge join that rescans), then aggregated per bucket. Computed
 * sets are never joined to each other except by FULL JOIN (hash or merge only), so no
 * misestimate can turn a step quadratic.
 */

/**
 * Hour targets from raw production executions (bucket = hour of started_at) and LLM usage
 * (hour of occurred_at). One hash aggregate per bucket collects the durations and start /
 * stop times; small per-bucket subqueries then build the histogram and the peak
 * concurrency (running sum of +1 at each start, -1 at each stop, over the executions that
 * started in the hour; a stop sorts before a start at the same instant, so back-to-back
 * runs do not overlap). Buckets of 0 or 1 execution skip the subqueries.
 */
export function computeHourBuckets(db: Db): Promise<WriteCounts> {
  const hour = sql.raw("'hour'");
  const ctes = sql`hours as (
      select client_id, bucket_start, array_agg(workflow_id) as workflow_ids
      from ${TARGETS} where granularity = ${hour} group by 1, 2),
    src as (
      select h.client_id, e.workflow_id, h.bucket_start, e.status, e.duration_ms, e.started_at,
        greatest(e.stopped_at, e.started_at) as stopped_at
      from hours h cross join lateral (
        select * from executions e
        where e.client_id = h.client_id and e.started_at >= h.bucket_start
          and e.started_at < h.bucket_start + interval '1 hour'
          and e.is_production and e.workflow_id = any (h.workflow_ids)
        offset 0) e),
    llm as (
      select h.client_id, u.workflow_id, h.bucket_start, u.prompt_tokens, u.completion_tokens,
        coalesce(u.cost_micro_usd, 0) as cost
      from hours h cross join lateral (
        select * from llm_usage u
        where u.client_id = h.client_id and u.occurred_at >= h.bucket_start
          and u.occurred_at < h.bucket_start + interval '1 hour' and u.workflow_id = any (h.workflow_ids)
          and ${countedUsage(sql.raw("u"))}
        offset 0) u),
    exec_agg as (
      select client_id, workflow_id, bucket_start, count(*) as total,
        count(*) filter (where status = 'success') as success,
        count(*) filter (where status = 'error') as error,
        count(*) filter (where status = 'crashed') as crashed,
        count(*) filter (where status = 'canceled') as canceled,
        count(*) filter (where status not in ('success', 'error', 'crashed', 'canceled')) as other,
        count(duration_ms) as duration_count, coalesce(sum(duration_ms), 0) as duration_sum_ms,
        min(duration_ms) as duration_min_ms, max(duration_ms) as duration_max_ms,
        array_agg(duration_ms) filter (where duration_ms is not null) as durations,
        array_agg(started_at) as starts, array_agg(stopped_at) filter (where stopped_at is not null) as stops
      from src group by 1, 2, 3),
    llm_agg as (
      select client_id, workflow_id, bucket_start, count(*) as llm_calls, sum(prompt_tokens) as tokens_in,
        sum(completion_tokens) as tokens_out, sum(cost) as cost_micro_usd
      from llm group by 1, 2, 3),
    computed as (
      select k.client_id, k.workflow_id, k.bucket_start, coalesce(e.total, 0) as total,
        coalesce(e.success, 0) as success, coalesce(e.error, 0) as error, coalesce(e.crashed, 0) as crashed,
        coalesce(e.canceled, 0) as canceled, coalesce(e.other, 0) as other,
        coalesce(e.duration_count, 0) as duration_count, coalesce(e.duration_sum_ms, 0) as duration_sum_ms,
        e.duration_min_ms, e.duration_max_ms,
        case when coalesce(e.duration_count, 0) = 0 then '{}'::jsonb
          when e.duration_count = 1 then jsonb_build_object(${latencyKeySql(sql`e.duration_min_ms`)}, 1)
          else (select jsonb_object_agg(k, n) from (
            select ${latencyKeySql(sql`d`)} as k, count(*) as n from unnest(e.durations) d group by 1) x)
        end as latency_histogram,
        case when coalesce(e.total, 0) <= 1 then coalesce(e.total, 0)
          else (select greatest(max(running), 1) from (
            select sum(delta) over (order by at, delta rows between unbounded preceding and current row) as running
            from (select unnest(e.starts) as at, 1 as delta union all select unnest(e.stops), -1) ev) x)
        end as peak_concurrency,
        coalesce(e.success, 0) * coalesce(w.minutes_saved_per_execution, cl.default_minutes_saved) as minutes_saved,
        coalesce(l.llm_calls, 0) as llm_calls, coalesce(l.tokens_in, 0) as tokens_in,
        coalesce(l.tokens_out, 0) as tokens_out, coalesce(l.cost_micro_usd, 0) as cost_micro_usd
      -- A full join is always a hash or merge join, whatever the estimates.
      from exec_agg e full join llm_agg l using (client_id, workflow_id, bucket_start) as k
      join workflows w on w.id = k.workflow_id join clients cl on cl.id = k.client_id)`;
  return writeBuckets(db, "hour", ctes);
}

/**
 * Day targets from hour rows, week and month targets from day rows (read per target through
 * rollups_workflow_idx). Everything merges exactly: sums, min/max, histograms key by key
 * (in a small per-bucket subquery over the children's histograms); peak is the max.
 */
export function computeParentBuckets(db: Db, granularity: Exclude<Granularity, "hour">): Promise<WriteCounts> {
  const g = granularitySql(granularity);
  const child = granularitySql(CHILD_GRANULARITY[granularity]);
  const ctes = sql`src as (
      select t.client_id, t.workflow_id, t.bucket_start as parent_start, r.*
      from ${TARGETS} t cross join lateral (
        select r.total, r.success, r.error, r.crashed, r.canceled, r.other, r.duration_count,
          r.duration_sum_ms, r.duration_min_ms, r.duration_max_ms, r.latency_histogram,
          r.peak_concurrency, r.minutes_saved, r.llm_calls, r.tokens_in, r.tokens_out, r.cost_micro_usd
        from rollups r
        where r.workflow_id = t.workflow_id and r.granularity = ${child}
          and r.bucket_start >= t.bucket_start and r.bucket_start < t.bucket_start + ${intervalSql(granularity)}
          and r.client_id = t.client_id
        offset 0) r
      where t.granularity = ${g}),
    agg as (
      select client_id, workflow_id, parent_start, sum(total) as total, sum(success) as success,
        sum(error) as error, sum(crashed) as crashed, sum(canceled) as canceled, sum(other) as other,
        sum(duration_count) as duration_count, sum(duration_sum_ms) as duration_sum_ms,
        min(duration_min_ms) as duration_min_ms, max(duration_max_ms) as duration_max_ms,
        array_agg(latency_histogram) as histograms, max(peak_concurrency) as peak_concurrency,
        sum(minutes_saved) as minutes_saved, sum(llm_calls) as llm_calls, sum(tokens_in) as tokens_in,
        sum(tokens_out) as tokens_out, sum(cost_micro_usd) as cost_micro_usd
      from src group by 1, 2, 3),
    computed as (
      select client_id, workflow_id, parent_start as bucket_start, total, success, error, crashed,
        canceled, other, duration_count, duration_sum_ms, duration_min_ms, duration_max_ms,
        coalesce((select jsonb_object_agg(key, n) from (
          select kv.key, sum(kv.value::bigint) as n
          from unnest(a.histograms) h cross join lateral jsonb_each_text(h) kv group by 1) x), '{}'::jsonb) as latency_histogram,
        peak_concurrency, minutes_saved, llm_calls, tokens_in, tokens_out, cost_micro_usd
      from agg a)`;
  return writeBuckets(db, granularity, ctes);
}

const RETRYABLE_CODES = new Set(["40001", "40P01"]);

function isRetryable(err: unknown): boolean {
  // drizzle wraps driver errors; the SQLSTATE sits on the cause.
  for (let e: unknown = err; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    if (RETRYABLE_CODES.has(String((e as { code?: unknown }).code))) return true;
  }
  return false;
}

/**
 * Runs rollup work in one REPEATABLE READ transaction: every statement sees the same
 * snapshot, so the executions marked rolled up at the end are exactly the ones counted.
 * A concurrent change to one of them aborts with a serialization failure; we retry.
 * Inside a caller's transaction this becomes a savepoint under the caller's isolation.
 */
export async function inRollupTransaction<T>(db: Db, work: (tx: Db) => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(
        async (tx) => {
          // Sorts and aggregates over millions of rows spill to disk with the 4MB default.
          await tx.execute(sql`set local work_mem = '64MB'`);
          return work(tx as unknown as Db);
        },
        { isolationLevel: "repeatable read" },
      );
    } catch (err) {
      if (attempt >= attempts || !isRetryable(err)) throw err;
    }
  }
}
