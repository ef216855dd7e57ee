/**
 * Sums of rollup rows over a window, grouped by bucket, workflow or client: the one
 * query every rollup-backed answer is built from. Percentiles come from the merged
 * latency histograms (merging is exact; percentiles are within 1% of the raw value).
 */
import { sql, type SQL } from "drizzle-orm";
import { ts, num, numOrNull, queryRows, type Db } from "@/lib/db/database";
import type { Granularity } from "@/lib/core/vocabulary";
import { bucketStartSql, granularitySql, zoneSpanJoin } from "@/lib/ingest/rollups/buckets";
import { countOfSql, slotOfSql } from "@/lib/ingest/rollups/merge";
import { histogramPercentiles, slotKey, type LatencyHistogram } from "@/lib/core/histogram";
import { pct, round, roundOrNull } from "./compare";
import { METRIC_NAMES, type MetricName, type MetricValues, type Percentiles } from "./types";
import type { BucketWindow } from "./window";

/** The additive figures of a set of executions, whether from rollups or raw rows. */
export interface Figures {
  total: number;
  success: number;
  error: number;
  crashed: number;
  canceled: number;
  other: number;
  durationCount: number;
  durationSumMs: number;
  durationMinMs: number | null;
  durationMaxMs: number | null;
  peakConcurrency: number;
  minutesSaved: number;
  llmCalls: number;
  tokensIn: number;
  tokensOut: number;
  costMicroUsd: number;
  percentiles: Percentiles;
}

export const NO_PERCENTILES: Percentiles = { p50: null, p75: null, p90: null, p95: null, p99: null };

export function emptyFigures(): Figures {
  return {
    total: 0,
    success: 0,
    error: 0,
    crashed: 0,
    canceled: 0,
    other: 0,
    durationCount: 0,
    durationSumMs: 0,
    durationMinMs: null,
    durationMaxMs: null,
    peakConcurrency: 0,
    minutesSaved: 0,
    llmCalls: 0,
    tokensIn: 0,
    tokensOut: 0,
    costMicroUsd: 0,
    percentiles: NO_PERCENTILES,
  };
}

/** How rows are grouped: one group ("all"), per workflow, per client, or per bucket of a granularity. */
export type GroupBy = "all" | "workflow" | "client" | Granularity;

/** The group key as text: bucket starts as ISO strings, ids as decimal strings. */
export function groupKey(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "string" && /^\d{4}-\d\d-\d\d[ T]/.test(value)) return new Date(value).toISOString();
  return String(value);
}

/**
 * SQL of the group key over `hour` (an hour or bucket start: bucket_start, or
 * date_trunc('hour', started_at)) and its table's ids. A time bucket is the client's
 * (lib/ingest/rollups/calendar.ts): its zone span joins by `groupJoinSql`.
 */
export function groupSql(by: GroupBy, hour: SQL, alias: SQL): SQL {
  switch (by) {
    case "all":
      return sql`'all'`;
    case "workflow":
      return sql`${alias}.workflow_id`;
    case "client":
      return sql`${alias}.client_id`;
    default:
      return bucketStartSql(by, hour);
  }
}

/** The join `groupSql` needs after the FROM of `alias`: the client's zone span at `hour`. */
export function groupJoinSql(by: GroupBy, hour: SQL, alias: SQL): SQL {
  return by === "all" || by === "workflow" || by === "client" ? sql`` : zoneSpanJoin(sql`${alias}.client_id`, hour);
}

export interface RollupFiguresQuery {
  /** Omitted: every client (the operator overview). */
  clientId?: number;
  /** The rollup level read. */
  level: Granularity;
  window: BucketWindow;
  groupBy: GroupBy;
  workflowId?: number;
  /** Merge histograms for percentiles (a second query); off when no percentile is shown. */
  percentiles?: boolean;
}

/** Sums of the rollup rows of a window, keyed by group (see `groupKey`). */
export async function rollupFigures(db: Db, q: RollupFiguresQuery): Promise<Map<string, Figures>> {
  const r = sql.raw("r");
  const key = groupSql(q.groupBy, sql`r.bucket_start`, r);
  const join = groupJoinSql(q.groupBy, sql`r.bucket_start`, r);
  // Client-level rows whenever workflows are not told apart: one row per bucket.
  const perWorkflow = q.groupBy === "workflow" || q.workflowId !== undefined;
  const table = sql.raw(perWorkflow ? "rollups" : "client_rollups");
  const where = sql.join(
    [
      sql`r.granularity = ${granularitySql(q.level)}`,
      sql`r.bucket_start >= ${ts(q.window.from)} and r.bucket_start < ${ts(q.window.to)}`,
      q.clientId === undefined ? undefined : sql`r.client_id = ${q.clientId}`,
      q.workflowId === undefined ? undefined : sql`r.workflow_id = ${q.workflowId}`,
    ].filter((s): s is SQL => s !== undefined),
    sql` and `,
  );
  const [rows, histograms] = await Promise.all([
    queryRows<Record<string, unknown>>(
      db,
      sql`select ${key} as key, sum(r.total)::float8 as total, sum(r.success)::float8 as success,
        sum(r.error)::float8 as error, sum(r.crashed)::float8 as crashed, sum(r.canceled)::float8 as canceled,
        sum(r.other)::float8 as other, sum(r.duration_count)::float8 as duration_count,
        sum(r.duration_sum_ms)::float8 as duration_sum_ms, min(r.duration_min_ms) as duration_min_ms,
        max(r.duration_max_ms) as duration_max_ms, max(r.peak_concurrency) as peak_concurrency,
        sum(r.minutes_saved)::float8 as minutes_saved, sum(r.llm_calls)::float8 as llm_calls,
        sum(r.tokens_in)::float8 as tokens_in, sum(r.tokens_out)::float8 as tokens_out,
        sum(r.cost_micro_usd)::float8 as cost_micro_usd
      from ${table} r ${join} where ${where} group by 1`,
    ),
    q.percentiles
      ? queryRows<{ key: unknown; slot: unknown; n: unknown }>(
          db,
          // Histograms merge by adding counts per slot (lib/core/histogram.ts); grouping in
          // SQL ships one row per slot.
          sql`select ${key} as key, ${slotOfSql(sql`x`)}::int as slot, sum(${countOfSql(sql`x`)})::float8 as n
            from ${table} r ${join} cross join lateral unnest(r.latency_histogram) x
            where ${where} group by 1, 2`,
        )
      : Promise.resolve([]),
  ]);

  const merged = new Map<string, LatencyHistogram>();
  for (const h of histograms) {
    const k = groupKey(h.key);
    const histogram = merged.get(k) ?? {};
    histogram[slotKey(num(h.slot))] = num(h.n);
    merged.set(k, histogram);
  }
  const out = new Map<string, Figures>();
  for (const row of rows) {
    const k = groupKey(row.key);
    out.set(k, {
      ...figuresFromRow(row),
      percentiles: q.percentiles ? histogramPercentiles(merged.get(k)) : NO_PERCENTILES,
    });
  }
  return out;
}

/** The summed columns of a row (snake_case, as both rollups and live queries name them). */
export function figuresFromRow(row: Record<string, unknown>): Figures {
  return {
    total: num(row.total),
    success: num(row.success),
    error: num(row.error),
    crashed: num(row.crashed),
    canceled: num(row.canceled),
    other: num(row.other),
    durationCount: num(row.duration_count),
    durationSumMs: num(row.duration_sum_ms),
    durationMinMs: numOrNull(row.duration_min_ms),
    durationMaxMs: numOrNull(row.duration_max_ms),
    peakConcurrency: num(row.peak_concurrency),
    minutesSaved: num(row.minutes_saved),
    llmCalls: num(row.llm_calls),
    tokensIn: num(row.tokens_in),
    tokensOut: num(row.tokens_out),
    costMicroUsd: num(row.cost_micro_usd),
    percentiles: NO_PERCENTILES,
  };
}

type StatusCounts = Pick<Figures, "success" | "error" | "crashed" | "canceled">;
export const finished = (f: StatusCounts) => f.success + f.error + f.crashed + f.canceled;
export const failures = (f: StatusCounts) => f.error + f.crashed;
export const microToUsd = (micro: number) => round(micro / 1e6, 6);

/** The card metrics of a set of figures; every metric null when there are none. */
export function metricValues(f: Figures | undefined): MetricValues {
  if (!f) return Object.fromEntries(METRIC_NAMES.map((m) => [m, null])) as MetricValues;
  return {
    executions: f.total,
    success_rate: pct(f.success, finished(f)),
    failures: failures(f),
    avg_duration_ms: f.durationCount > 0 ? round(f.durationSumMs / f.durationCount, 1) : null,
    p95_duration_ms: roundOrNull(f.percentiles.p95, 1),
    time_saved_minutes: round(f.minutesSaved),
    llm_calls: f.llmCalls,
    llm_cost_usd: microToUsd(f.costMicroUsd),
  };
}

/** Whether a metric has data to show as a card (a 0 of something never configured is not data). */
export function hasData(metric: MetricName, f: Figures | undefined): boolean {
  if (!f || f.total + f.llmCalls === 0) return false;
  switch (metric) {
    case "executions":
    case "failures":
      return f.total > 0;
    case "success_rate":
      return finished(f) > 0;
    case "avg_duration_ms":
    case "p95_duration_ms":
      return f.durationCount > 0;
    case "time_saved_minutes":
      return f.minutesSaved > 0;
    case "llm_calls":
      return f.llmCalls > 0;
    case "llm_cost_usd":
      return f.costMicroUsd > 0;
  }
}

export function percentilesRounded(p: Percentiles): Percentiles {
  return {
    p50: roundOrNull(p.p50, 1),
    p75: roundOrNull(p.p75, 1),
    p90: roundOrNull(p.p90, 1),
    p95: roundOrNull(p.p95, 1),
    p99: roundOrNull(p.p99, 1),
  };
}
