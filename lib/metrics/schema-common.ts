/**
 * The building blocks of the metrics API's response shapes (see ./types): enums,
 * metric names and labels, periods, comparisons, percentiles. Zod schemas with a type of
 * the same name; no server imports, so browser code may import them.
 */
import { z } from "zod";
import { EXECUTION_STATUSES, GRANULARITIES } from "@/lib/core/vocabulary";

export const NumberSchema = z.number();
export const NullableNumber = z.number().nullable();
export const IsoDateTime = z.iso.datetime({ offset: true });

export const GranularitySchema = z.enum(GRANULARITIES);

/** Summary cards, in priority order. */
export const METRIC_NAMES = [
  "executions",
  "success_rate",
  "failures",
  "avg_duration_ms",
  "p95_duration_ms",
  "time_saved_minutes",
  "llm_calls",
  "llm_cost_usd",
] as const;
export const MetricName = z.enum(METRIC_NAMES);
export type MetricName = z.infer<typeof MetricName>;

export const MetricUnit = z.enum(["count", "percent", "ms", "minutes", "usd"]);
export type MetricUnit = z.infer<typeof MetricUnit>;

/**
 * What each metric means:
 * - executions: production executions started in the range (any status);
 * - success_rate: success / finished (success, error, crashed, canceled), in percent;
 * - failures: error + crashed;
 * - avg_duration_ms, p95_duration_ms: over executions with a duration (p95 from the
 *   rollups' latency histograms, within 1% of the exact value);
 * - time_saved_minutes: successes × the workflow's minutes saved per execution;
 * - llm_calls, llm_cost_usd: LLM usage attributed to the client's workflows.
 */
export const METRIC_INFO: Record<MetricName, { label: string; unit: MetricUnit }> = {
  executions: { label: "Executions", unit: "count" },
  success_rate: { label: "Success rate", unit: "percent" },
  failures: { label: "Failures", unit: "count" },
  avg_duration_ms: { label: "Average duration", unit: "ms" },
  p95_duration_ms: { label: "p95 duration", unit: "ms" },
  time_saved_minutes: { label: "Time saved", unit: "minutes" },
  llm_calls: { label: "LLM calls", unit: "count" },
  llm_cost_usd: { label: "LLM cost", unit: "usd" },
};

/** One value per metric; null when the metric has no data. */
export const MetricValues = z.object({
  executions: NullableNumber,
  success_rate: NullableNumber,
  failures: NullableNumber,
  avg_duration_ms: NullableNumber,
  p95_duration_ms: NullableNumber,
  time_saved_minutes: NullableNumber,
  llm_calls: NullableNumber,
  llm_cost_usd: NullableNumber,
});
export type MetricValues = z.infer<typeof MetricValues>;

export const Period = z.object({ start: IsoDateTime, end: IsoDateTime, days: NumberSchema });
export type Period = z.infer<typeof Period>;

export const Comparison = z.object({
  /** The same figure over the period of the same length just before. */
  previous: NullableNumber,
  /** value − previous (percentage points for rates). */
  delta: NullableNumber,
  /** Percent change; null when the previous value is 0 or missing. */
  deltaPct: NullableNumber,
});
export type Comparison = z.infer<typeof Comparison>;

export const Percentiles = z.object({
  p50: NullableNumber,
  p75: NullableNumber,
  p90: NullableNumber,
  p95: NullableNumber,
  p99: NullableNumber,
});
export type Percentiles = z.infer<typeof Percentiles>;

/** "raw": computed from raw executions (live-summary, live-series). */
export const SourceName = z.enum([...GRANULARITIES, "raw"]);
export type SourceName = z.infer<typeof SourceName>;

export const ExecutionStatusSchema = z.enum(EXECUTION_STATUSES);
