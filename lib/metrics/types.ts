/**
 * Response shapes of the metrics API, shared by the route handlers, the OpenAPI
 * document and the dashboard. Each is a zod schema with a type of the same name: the
 * type is what code uses, the schema is what /api/v1/openapi.json describes.
 *
 * Conventions: dates travel as ISO strings; percentages are 0–100; durations are ms;
 * money is USD (rollups keep integer micro-dollars, converted only here at the edge).
 * A bucket without data is null, never a made-up zero. Every figure counts production
 * executions only, like the rollups.
 */
import { z } from "zod";
import {
  Comparison,
  GranularitySchema,
  IsoDateTime,
  MetricName,
  MetricUnit,
  MetricValues,
  NumberSchema,
  NullableNumber,
  Percentiles,
  Period,
  SourceName,
} from "./schema-common";

export * from "./schema-common";
export * from "./table-types";

/** A summary card: only metrics that have data in the range, in priority order. */
export const MetricTotal = Comparison.extend({
  metric: MetricName,
  label: z.string(),
  unit: MetricUnit,
  value: NumberSchema,
});
export type MetricTotal = z.infer<typeof MetricTotal>;

export const TrendPoint = z.object({ date: IsoDateTime, metrics: MetricValues });
export type TrendPoint = z.infer<typeof TrendPoint>;

/** GET /api/v1/metrics/overview */
export const OverviewResponse = z.object({
  clientId: NumberSchema,
  /** The range counted: as asked, unless retention widened an edge (decompose.ts). */
  period: Period,
  previousPeriod: Period,
  /** The bucket size the range selects (≤7d hour, ≤90d day, beyond month). */
  source: GranularitySchema,
  totals: z.array(MetricTotal),
  /** Every UTC day of the range, the first and last clipped to it; a day without data has null metrics. */
  dailyTrend: z.array(TrendPoint),
});
export type OverviewResponse = z.infer<typeof OverviewResponse>;

/**
 * One row of GET /api/v1/metrics/summary (and live-summary). `total` is the headline
 * figure over the range (a sum for counts, the overall rate, mean or p95 otherwise);
 * `count` is how many items it stands on (buckets with data for sums, finished
 * executions for the rate, timed executions for durations); `average`, `min` and `max`
 * are per bucket, except for avg_duration_ms, whose min and max are the shortest and
 * longest single execution.
 */
export const SummaryRow = z.object({
  metric: MetricName,
  unit: MetricUnit,
  total: NullableNumber,
  count: NumberSchema,
  average: NullableNumber,
  min: NullableNumber,
  max: NullableNumber,
});
export type SummaryRow = z.infer<typeof SummaryRow>;

export const SummaryResponse = z.object({
  clientId: NumberSchema,
  start: IsoDateTime,
  end: IsoDateTime,
  source: SourceName,
  /** The bucket size of the per-bucket average, min and max. */
  granularity: GranularitySchema,
  summary: z.array(SummaryRow),
  /** Duration percentiles over the whole range. */
  percentiles: Percentiles,
});
export type SummaryResponse = z.infer<typeof SummaryResponse>;

/** One bucket of GET /api/v1/metrics/series (and live-series). Null = no data in the bucket. */
export const SeriesPoint = z.object({
  bucket: IsoDateTime,
  executions: NullableNumber,
  success: NullableNumber,
  failures: NullableNumber,
  successRate: NullableNumber,
  avgDurationMs: NullableNumber,
  p50DurationMs: NullableNumber,
  p95DurationMs: NullableNumber,
  p99DurationMs: NullableNumber,
  minutesSaved: NullableNumber,
  llmCalls: NullableNumber,
  costUsd: NullableNumber,
});
export type SeriesPoint = z.infer<typeof SeriesPoint>;

export const SeriesResponse = z.object({
  clientId: NumberSchema,
  /** The range counted: as asked, unless retention widened an edge. */
  start: IsoDateTime,
  end: IsoDateTime,
  source: SourceName,
  granularity: GranularitySchema,
  /** Every bucket of the range, in order; the first and last count only the part inside the range. */
  series: z.array(SeriesPoint),
});
export type SeriesResponse = z.infer<typeof SeriesResponse>;

const CoverageEndSchema = z.object({ id: NumberSchema, startedAt: IsoDateTime.nullable() }).nullable();

/**
 * How much of a client's n8n history Flowscope holds (lib/ingest/collect/coverage.ts). Ids are
 * n8n's execution ids; missing ones are never counted as executions, only reported.
 */
export const CoverageResponse = z.object({
  clientId: NumberSchema,
  historyStart: CoverageEndSchema,
  newest: CoverageEndSchema,
  floorId: NullableNumber,
  idsSeen: NumberSchema,
  idsMissing: NumberSchema,
  missingFrom: IsoDateTime.nullable(),
  missingTo: IsoDateTime.nullable(),
  idsUnprobed: NumberSchema,
  idsToRead: NullableNumber,
  running: NumberSchema,
  collectedShare: NullableNumber,
  complete: z.boolean(),
  /** Missing ids whose time span overlaps the requested range: executions that range cannot count. */
  range: z.object({ start: IsoDateTime, end: IsoDateTime, missing: NumberSchema }),
});
export type CoverageResponse = z.infer<typeof CoverageResponse>;
