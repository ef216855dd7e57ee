/** Response shapes of GET /api/v1/metrics/execution/patterns (see types.ts for the conventions). */
import type { BaselineKind } from "./params";
import type { RangeInfo } from "./types";

export interface TimelinePoint {
  bucket: string;
  executions: number | null;
  failures: number | null;
  successRate: number | null;
}

export interface Burst {
  level: "hour" | "minute";
  /** First bucket of a run of consecutive burst buckets. */
  start: string;
  /** End of the last bucket (exclusive). */
  end: string;
  buckets: number;
  executions: number;
  peakExecutions: number;
  baselineMedian: number;
  baselineMad: number;
  reason: string;
}

export type AnomalyMetric = "volume" | "failure_rate";

export interface Anomaly {
  /** Start of the hour. */
  bucket: string;
  metric: AnomalyMetric;
  direction: "high" | "low";
  /** Executions, or the failure rate in percent. */
  value: number;
  baselineMedian: number;
  baselineMad: number;
  robustZ: number;
  executions: number;
  failures: number;
  reason: string;
}

/** GET /api/v1/metrics/execution/patterns */
export interface PatternMetrics {
  clientId: number;
  range: RangeInfo;
  /** At the range's granularity (hourly up to 7 days). */
  timeline: TimelinePoint[];
  baseline: {
    kind: BaselineKind;
    /** Hours the baseline of one hour looks back over. */
    windowHours: number;
    /** |robust z| at or above which an hour is an anomaly. */
    threshold: number;
    /** A burst exceeds median + k·MAD. */
    burstK: number;
  };
  /** Hours after this are not judged: not collected yet (last sync) or not over. */
  analyzedUntil: string;
  bursts: Burst[];
  anomalies: Anomaly[];
}
