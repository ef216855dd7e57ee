export {
  pendingRollupClients,
  refreshClients,
  refreshRollups,
  ROLLUP_CONCURRENCY,
  type RefreshResult,
} from "./refresh";
export { rebuildRollups, type RebuildOptions, type RebuildResult } from "./rebuild";
export { runRetention, type RetentionOptions, type RetentionResult } from "./retention";
export { addBuckets, bucketStart, bucketStartsInRange, CHILD_GRANULARITY, daysBefore } from "./buckets";
export {
  bucketRepresentative,
  histogramCount,
  histogramFromDurations,
  histogramPercentile,
  histogramPercentiles,
  latencyBucketIndex,
  latencyBucketKey,
  mergeHistograms,
  HISTOGRAM_ALPHA,
  ZERO_KEY,
  type LatencyHistogram,
  type Percentiles,
} from "@/lib/core/histogram";
