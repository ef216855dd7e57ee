/**
 * The SQL that computes rollup buckets. The buckets to recompute are first collected as
 * targets (targets.ts); then one INSERT ... SELECT ... GROUP BY per granularity upserts
 * them and deletes the targets with nothing left to count, so a bucket never stays stale.
 *
 * Every bucket is its archive row (what retention deleted of its sources; merge.ts) merged
 * with the sources that still exist: an hour with its production executions and counted
 * LLM usage, a day with its hour rows, a week or month with its day rows. So recomputing
 * any bucket, at any age, gives the same value as long as nothing changed under it.
 * Must run inside a transaction.
 */
import { sqlLiterals } from "@/lib/db/sql-literals";
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Db } from "@/lib/db/database";
import { FINAL_STATUSES, type Granularity } from "@/lib/core/vocabulary";
import { LN_GAMMA, SLOT_OFFSET } from "@/lib/core/histogram";
import { bucketEndSql, CHILD_GRANULARITY, granularitySql, zoneSpanJoin } from "./buckets";
import { writeClientBuckets } from "./client-buckets";
import { mergedMeasuresSql, packSql, sumHistogramsSql } from "./merge";
import { addTargets, parentsOfTargets, TARGETS } from "./targets";
import { countedUsage } from "./usage";

export interface WriteCounts {
  written: number;
  deleted: number;
}

/** SQL twin of `latencyBucketSlot` (histogram.ts) for an integer ms expression, as int8. */
export function latencySlotSql(column: SQL): SQL {
  const lnGamma = sql.raw(`${LN_GAMMA}::float8`);
  return sql`(case when ${column} <= 0 then 0 else ceil(ln((${column})::float8) / ${lnGamma})::int8 + ${sql.raw(String(SLOT_OFFSET))} end)`;
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
    -- By row address, each found through the primary key: joined to \`stale\`, whose size
    -- the planner cannot know, the delete became a hash join over a scan of all of
    -- rollups, once per level and client.
    deleted as (
      delete from rollups r where r.ctid = any (array(
        select x.ctid from stale s cross join lateral (
          select r2.ctid from rollups r2 where r2.client_id = s.client_id and r2.granularity = ${g}
            and r2.bucket_start = s.bucket_start and r2.workflow_id = s.workflow_id) x))
      returning 1)
    select (select count(*) from upserted)::int as written, (select count(*) from deleted)::int as deleted`,
  );
  // A separate statement: the CTEs above cannot see each other's writes.
  await writeClientBuckets(
    db,
    granularity,
    sql`select client_id, bucket_start from ${TARGETS} where granularity = ${g}`,
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

/** Whether any `granularity` target has an archive row (one primary key probe each). */
async function targetsHaveArchive(db: Db, granularity: Granularity): Promise<boolean> {
  const g = granularitySql(granularity);
  const [row] = await queryRows<{ any: boolean }>(
    db,
    sql`select exists (select 1 from ${TARGETS} t where t.granularity = ${g} and exists (
      select 1 from rollup_archive a where a.client_id = t.client_id and a.granularity = ${g}
        and a.bucket_start = t.bucket_start and a.workflow_id = t.workflow_id)) as any`,
  );
  return Boolean(row.any);
}

/**
 * `computed`: the `fresh` figures (from sources) merged with the archive rows of the
 * targets, read through `groups` (client_id, bucket_start, workflow_ids) by one primary
 * key range scan per group, and merged by a full join. Most refreshes touch recent
 * buckets only, which have no archive: then `computed` is `fresh` as it is, and the plan
 * stays the one without an archive.
 */
async function withArchive(db: Db, granularity: Granularity, groups: string): Promise<SQL> {
  if (!(await targetsHaveArchive(db, granularity))) return sql`computed as (select * from fresh)`;
  return sql`archived as (
      select g.client_id, a.workflow_id, g.bucket_start, a.total, a.success, a.error, a.crashed, a.canceled,
        a.other, a.duration_count, a.duration_sum_ms, a.duration_min_ms, a.duration_max_ms,
        a.latency_histogram, a.peak_concurrency, a.minutes_saved, a.llm_calls, a.tokens_in, a.tokens_out,
        a.cost_micro_usd
      from ${sql.raw(groups)} g cross join lateral (
        select * from rollup_archive a
        where a.client_id = g.client_id and a.granularity = ${granularitySql(granularity)}
          and a.bucket_start = g.bucket_start and a.workflow_id = any (g.workflow_ids)
        offset 0) a),
    computed as (
      select k.client_id, k.workflow_id, k.bucket_start, ${mergedMeasuresSql("f", "a")}
      from fresh f full join archived a using (client_id, workflow_id, bucket_start) as k)`;
}

/**
 * Hour targets from their archive row, raw production executions (bucket = hour of
 * started_at) and counted LLM usage (hour of occurred_at). One hash aggregate per bucket
 * collects the durations and start / stop times; small per-bucket subqueries then build
 * the histogram and the peak concurrency (running sum of +1 at each start, -1 at each
 * stop, over the executions that started in the hour; a stop sorts before a start at the
 * same instant, so back-to-back runs do not overlap). Buckets of 0 or 1 execution skip
 * the subqueries.
 */
export async function computeHourBuckets(db: Db): Promise<WriteCounts> {
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
        count(*) filter (where status not in (${sqlLiterals(FINAL_STATUSES)})) as other,
        count(duration_ms) as duration_count, coalesce(sum(duration_ms), 0) as duration_sum_ms,
        min(duration_ms) as duration_min_ms, max(duration_ms) as duration_max_ms,
        array_agg(duration_ms) filter (where duration_ms is not null) as durations,
        array_agg(started_at) as starts, array_agg(stopped_at) filter (where stopped_at is not null) as stops
      from src group by 1, 2, 3),
    llm_agg as (
      select client_id, workflow_id, bucket_start, count(*) as llm_calls, sum(prompt_tokens) as tokens_in,
        sum(completion_tokens) as tokens_out, sum(cost) as cost_micro_usd
      from llm group by 1, 2, 3),
    fresh as (
      select k.client_id, k.workflow_id, k.bucket_start, coalesce(e.total, 0) as total,
        coalesce(e.success, 0) as success, coalesce(e.error, 0) as error, coalesce(e.crashed, 0) as crashed,
        coalesce(e.canceled, 0) as canceled, coalesce(e.other, 0) as other,
        coalesce(e.duration_count, 0) as duration_count, coalesce(e.duration_sum_ms, 0) as duration_sum_ms,
        e.duration_min_ms, e.duration_max_ms,
        case when coalesce(e.duration_count, 0) = 0 then '{}'::int8[]
          when e.duration_count = 1 then array[${packSql(latencySlotSql(sql`e.duration_min_ms`), sql`1`)}]
          else (select array_agg(${packSql(sql`s`, sql`n`)} order by s) from (
            select ${latencySlotSql(sql`d`)} as s, count(*) as n from unnest(e.durations) d group by 1) x)
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
      join workflows w on w.id = k.workflow_id join clients cl on cl.id = k.client_id),
    ${await withArchive(db, "hour", "hours")}`;
  return writeBuckets(db, "hour", ctes);
}

/**
 * Day targets from their archive row and hour rows, week and month targets from their
 * archive row and day rows, the children between the target's start and its end in the
 * client's zone (calendar.ts). Children are read per parent bucket, every target workflow
 * of it in one primary key range scan: read per target, the scan of a day's hours passed
 * over every other workflow's rows too (the key is client, level, start, workflow), 0.7 s
 * of a 2-year rebuild of 190k hours. Everything merges exactly (merge.ts), histograms in
 * a small per-bucket subquery.
 */
export async function computeParentBuckets(db: Db, granularity: Exclude<Granularity, "hour">): Promise<WriteCounts> {
  const g = granularitySql(granularity);
  const child = granularitySql(CHILD_GRANULARITY[granularity]);
  const ctes = sql`parents as (
      select client_id, bucket_start, array_agg(workflow_id) as workflow_ids
      from ${TARGETS} where granularity = ${g} group by 1, 2),
    src as (
      select p.client_id, r.workflow_id, p.bucket_start as parent_start, r.total, r.success, r.error,
        r.crashed, r.canceled, r.other, r.duration_count, r.duration_sum_ms, r.duration_min_ms,
        r.duration_max_ms, r.latency_histogram, r.peak_concurrency, r.minutes_saved, r.llm_calls,
        r.tokens_in, r.tokens_out, r.cost_micro_usd
      from parents p ${zoneSpanJoin(sql`p.client_id`, sql`p.bucket_start`)} cross join lateral (
        select * from rollups r
        where r.client_id = p.client_id and r.granularity = ${child}
          and r.bucket_start >= p.bucket_start and r.bucket_start < ${bucketEndSql(granularity, sql`p.bucket_start`)}
          and r.workflow_id = any (p.workflow_ids)
        offset 0) r),
    agg as (
      select client_id, workflow_id, parent_start, sum(total) as total, sum(success) as success,
        sum(error) as error, sum(crashed) as crashed, sum(canceled) as canceled, sum(other) as other,
        sum(duration_count) as duration_count, sum(duration_sum_ms) as duration_sum_ms,
        min(duration_min_ms) as duration_min_ms, max(duration_max_ms) as duration_max_ms,
        flowscope_histogram_cat(latency_histogram) as histograms, max(peak_concurrency) as peak_concurrency,
        sum(minutes_saved) as minutes_saved, sum(llm_calls) as llm_calls, sum(tokens_in) as tokens_in,
        sum(tokens_out) as tokens_out, sum(cost_micro_usd) as cost_micro_usd
      from src group by 1, 2, 3),
    fresh as (
      select client_id, workflow_id, parent_start as bucket_start, total, success, error, crashed,
        canceled, other, duration_count, duration_sum_ms, duration_min_ms, duration_max_ms,
        ${sumHistogramsSql(sql`a.histograms`)} as latency_histogram,
        peak_concurrency, minutes_saved, llm_calls, tokens_in, tokens_out, cost_micro_usd
      from agg a),
    ${await withArchive(db, granularity, "parents")}`;
  return writeBuckets(db, granularity, ctes);
}

export type LevelCounts = Record<Granularity, number>;

const LEVELS: Granularity[] = ["hour", "day", "week", "month"];

/**
 * Computes the targets from level `from` up to `to`: each level above adds the parents of
 * the level below's targets to its own, so a changed hour carries into its day, week and
 * month in the same transaction. Counts are buckets written or deleted per level.
 */
export async function computeUpward(db: Db, from: Granularity, to: Granularity = "month"): Promise<LevelCounts> {
  const counts: LevelCounts = { hour: 0, day: 0, week: 0, month: 0 };
  for (const granularity of LEVELS.slice(LEVELS.indexOf(from), LEVELS.indexOf(to) + 1)) {
    let written: WriteCounts;
    if (granularity === "hour") written = await computeHourBuckets(db);
    else {
      await addTargets(db, granularity, parentsOfTargets(granularity));
      written = await computeParentBuckets(db, granularity);
    }
    counts[granularity] = written.written + written.deleted;
  }
  return counts;
}
