/**
 * How bucket measures add up, in SQL. One rule everywhere (computing a bucket from its
 * sources plus its archive row, folding a deleted bucket into its parent's archive):
 * counts, sums, minutes and LLM figures add; duration min/max take the min/max; latency
 * histograms add key by key; peak concurrency takes the max (an upper bound of the true
 * peak across children, the same one the parents of live buckets carry).
 */
import { sql, type SQL } from "drizzle-orm";
import { PACK_BASE } from "@/lib/core/histogram";

const BASE = sql.raw(`${PACK_BASE}::int8`);
const MASK = sql.raw(`${PACK_BASE - 1}::int8`);

/** The stored element of a slot and count (lib/core/histogram.ts), and back. */
export const packSql = (slot: SQL, count: SQL): SQL => sql`${slot} * ${BASE} + ${count}`;
export const slotOfSql = (element: SQL): SQL => sql`(${element} >> ${sql.raw(String(Math.log2(PACK_BASE)))})`;
export const countOfSql = (element: SQL): SQL => sql`(${element} & ${MASK})`;

/** The packed histogram of the elements `x` that `source` (a FROM clause) yields, counts of a slot added. */
function packedSumSql(source: SQL): SQL {
  return sql`coalesce((select array_agg(${packSql(sql`m.s`, sql`m.n`)} order by m.s) from (
      select ${slotOfSql(sql`x`)} as s, sum(${countOfSql(sql`x`)})::int8 as n from ${source} group by 1) m), '{}'::int8[])`;
}

/** Measures that simply add up. */
const SUMMED = [
  "total",
  "success",
  "error",
  "crashed",
  "canceled",
  "other",
  "duration_count",
  "duration_sum_ms",
  "minutes_saved",
  "llm_calls",
  "tokens_in",
  "tokens_out",
  "cost_micro_usd",
] as const;

/** Every measure column of rollups and rollup_archive, in the order of the select lists below. */
const MEASURES = [...SUMMED, "duration_min_ms", "duration_max_ms", "latency_histogram", "peak_concurrency"];

/** For `insert into ... (key columns, ${MEASURE_COLUMNS}) select key columns, <a select list below>`. */
export const MEASURE_COLUMNS = sql.raw(MEASURES.join(", "));

/**
 * The merge of the packed histogram elements `elements` (an int8[] expression holding
 * every histogram of the group: `a || b`, or flowscope_histogram_cat over rows): counts
 * of equal slots added, in slot order (lib/core/histogram.ts). A small per-bucket subquery.
 */
export function sumHistogramsSql(elements: SQL): SQL {
  return packedSumSql(sql`unnest(${elements}) x`);
}

/**
 * Select list of the merge of two measure rows `a` and `b` (table aliases) of a full
 * join: either may be missing. The histogram subquery only runs when both have one.
 */
export function mergedMeasuresSql(a: string, b: string): SQL {
  const [x, y] = [sql.raw(a), sql.raw(b)];
  const sums = SUMMED.map((c) => sql.raw(`coalesce(${a}.${c}, 0) + coalesce(${b}.${c}, 0) as ${c}`));
  return sql`${sql.join(sums, sql`, `)},
    least(${x}.duration_min_ms, ${y}.duration_min_ms) as duration_min_ms,
    greatest(${x}.duration_max_ms, ${y}.duration_max_ms) as duration_max_ms,
    case when coalesce(cardinality(${y}.latency_histogram), 0) = 0 then coalesce(${x}.latency_histogram, '{}'::int8[])
      when coalesce(cardinality(${x}.latency_histogram), 0) = 0 then ${y}.latency_histogram
      else ${sumHistogramsSql(sql`${x}.latency_histogram || ${y}.latency_histogram`)} end as latency_histogram,
    coalesce(greatest(${x}.peak_concurrency, ${y}.peak_concurrency), 0) as peak_concurrency`;
}

/**
 * Select list aggregating a group of measure rows (alias `r`) into one. The histograms
 * are concatenated by flowscope_histogram_cat, which copies what it holds at every row:
 * fine for the few children of a bucket. A group of many rows (a client's workflows)
 * passes `histogram`, a merge that reads them flat (histogramOfRowsSql).
 */
export function aggregatedMeasuresSql(histogram?: SQL): SQL {
  const sums = SUMMED.map((c) => sql.raw(`sum(r.${c}) as ${c}`));
  return sql`${sql.join(sums, sql`, `)}, min(r.duration_min_ms) as duration_min_ms,
    max(r.duration_max_ms) as duration_max_ms,
    ${histogram ?? sumHistogramsSql(sql`flowscope_histogram_cat(r.latency_histogram)`)} as latency_histogram,
    max(r.peak_concurrency) as peak_concurrency`;
}

/**
 * The merged histogram of the rows of `table` (alias `h`) that `where` selects, their
 * elements unnested flat: linear in the elements, however many rows.
 */
export function histogramOfRowsSql(table: SQL, where: SQL): SQL {
  return packedSumSql(sql`${table} h cross join lateral unnest(h.latency_histogram) x where ${where}`);
}

/**
 * `on conflict` clause that adds the incoming row (`excluded`) to an existing
 * rollup_archive row: folding a deleted bucket into its parent's archive.
 */
export function addToArchiveSql(): SQL {
  const sums = SUMMED.map((c) => sql.raw(`${c} = rollup_archive.${c} + excluded.${c}`));
  return sql`on conflict (client_id, granularity, bucket_start, workflow_id) do update set
    ${sql.join(sums, sql`, `)},
    duration_min_ms = least(rollup_archive.duration_min_ms, excluded.duration_min_ms),
    duration_max_ms = greatest(rollup_archive.duration_max_ms, excluded.duration_max_ms),
    latency_histogram = ${sumHistogramsSql(sql`rollup_archive.latency_histogram || excluded.latency_histogram`)},
    peak_concurrency = greatest(rollup_archive.peak_concurrency, excluded.peak_concurrency),
    archived_at = now()`;
}

/** `set` list of an upsert that replaces every measure by the incoming row's. */
export function replaceMeasuresSql(): SQL {
  return sql.raw(MEASURES.map((c) => `${c} = excluded.${c}`).join(", "));
}

/** `on conflict` clause that replaces an existing rollup_archive row by the incoming one. */
export function replaceArchiveSql(): SQL {
  return sql`on conflict (client_id, granularity, bucket_start, workflow_id) do update set
    ${replaceMeasuresSql()}, archived_at = now()`;
}

/**
 * Select list of an hour row's execution measures, LLM figures 0: what an hour's archive
 * keeps when its raw executions go. LLM usage rows are kept, and recounted from them.
 */
export function executionMeasuresSql(alias: string): SQL {
  const llm = new Set(["llm_calls", "tokens_in", "tokens_out", "cost_micro_usd"]);
  return sql.raw(MEASURES.map((c) => (llm.has(c) ? `0 as ${c}` : `${alias}.${c}`)).join(", "));
}
