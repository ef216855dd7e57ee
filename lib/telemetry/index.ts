/** Flowscope's operational metrics: what the jobs and the sampler record, and how it is stored. */
export { recordMetrics, flushMetrics, metricRecorder, type RecorderStats } from "./recorder";
export { runPoints, phaseBreakdown, n8nRequestPoints, type FinishedRun } from "./run-points";
export { FLOWSCOPE_METRICS, FLOWSCOPE_SERVICE } from "./names";
export type { MetricPoint, SystemMetricView } from "./point";
