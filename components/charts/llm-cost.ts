/**
 * The LLM cost-over-time chart's data, from the llm-usage response. A bucket whose cost
 * is null (no usage, or only unpriced calls) stays a gap in the cost bars: an unpriced
 * bucket must not be drawn as $0. Pure, so it is unit-tested (test/llm-format.test.ts).
 */
import type { LlmCostPoint } from "@/lib/metrics/llm-usage-types";
import { pointsOf, toChartSeries, type BucketStep } from "./adapters";

export interface LlmCostChart {
  labels: string[];
  buckets: string[];
  /** USD per bucket; null is a gap. */
  cost: Array<number | null>;
  /** Tokens per bucket, as the API counts them (0 in a bucket without usage). */
  tokens: Array<number | null>;
  /** Sum of the priced cost over the range; null when no bucket is priced. */
  totalCost: number | null;
  /** Buckets with tokens but no price: usage the bars cannot show. */
  unpricedBuckets: number;
}

export function toLlmCostChart(
  points: readonly LlmCostPoint[],
  step: BucketStep,
  range: { start: string; end: string },
  /** The client's zone: day, week and month buckets start at its midnight. */
  timeZone?: string,
): LlmCostChart {
  const chart = toChartSeries(
    [
      { key: "cost", label: "Cost", points: pointsOf(points, "costUsd") },
      { key: "tokens", label: "Tokens", points: pointsOf(points, "totalTokens") },
    ],
    step,
    range,
    timeZone,
  );
  const [cost, tokens] = chart.datasets;
  const priced = cost.data.filter((v): v is number => v != null);
  return {
    labels: chart.labels,
    buckets: chart.buckets,
    cost: cost.data,
    tokens: tokens.data,
    totalCost: priced.length > 0 ? priced.reduce((sum, v) => sum + v, 0) : null,
    unpricedBuckets: points.filter((p) => p.costUsd == null && p.totalTokens > 0).length,
  };
}
