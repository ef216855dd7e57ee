/**
 * Response shapes of /api/v1/metrics/execution and its sections. Dates travel as ISO
 * strings, percentages as 0–100, durations in ms. A bucket without data is null, never a
 * made-up zero. Every figure counts production executions only, like the rollups.
 */
import type { ExecutionStatus, Granularity, SyncStatus } from "@/lib/core/vocabulary";
import type { ResolvedRange } from "@/lib/metrics/range";
import type { Comparison, Percentiles } from "@/lib/metrics/types";

/** How patterns build the robust baseline of an hour: the trailing week, or the same hour on previous days. */
export const BASELINES = ["trailing", "hour-of-day"] as const;
export type BaselineKind = (typeof BASELINES)[number];

/** The one argument of every section function. */
export interface ExecutionQuery {
  clientId: number;
  range: ResolvedRange;
  /** Defaults to the current time; tests pin it. */
  now?: Date;
  /** Patterns only; defaults to "trailing". */
  baseline?: BaselineKind;
}

export interface RangeInfo {
  start: string;
  end: string;
  /** The rollup level that answers the range-wide figures. */
  granularity: Granularity;
}

// ---- realtime -----------------------------------------------------------------------

export type QueueSeverity = "ok" | "warning" | "critical";

export interface LiveExecution {
  /** n8n's execution id. */
  executionId: number;
  workflowId: number;
  workflowName: string;
  status: ExecutionStatus;
  /** started_at, or when Flowscope first saw it for queued executions n8n has not started. */
  since: string | null;
  ageSeconds: number | null;
  /** Wait-node executions: when n8n resumes them. */
  waitTill: string | null;
}

export interface Freshness {
  /** finishedAt of the newest successful sync of this client. */
  lastSyncAt: string | null;
  ageSeconds: number | null;
  /** Older than twice the collect interval, or never synced. */
  stale: boolean;
  collectIntervalSeconds: number;
  lastRun: { status: SyncStatus; startedAt: string; finishedAt: string | null; error: string | null } | null;
}

/** GET /api/v1/metrics/execution/realtime: as of the last sync, not of n8n this second. */
export interface RealtimeMetrics {
  clientId: number;
  asOf: string;
  running: number;
  /** Paused at a Wait node. */
  waiting: number;
  /** Status new: accepted by n8n, not started yet (concurrency queue). */
  queued: number;
  queue: {
    /** waiting + queued. */
    depth: number;
    severity: QueueSeverity;
    concurrencyLimit: number;
    /** Depth at which severity turns warning / critical. */
    thresholds: { warning: number; critical: number };
  };
  /** running / concurrencyLimit. */
  capacityPct: number;
  oldestWaiting: LiveExecution | null;
  /** Up to 20 running executions, longest running first. */
  runningNow: LiveExecution[];
  freshness: Freshness;
}

// ---- throughput ---------------------------------------------------------------------

export interface ThroughputPoint {
  bucket: string;
  executions: number | null;
  /** Sum of the workflows' peaks in the bucket: an upper bound of the client's concurrency. */
  peakConcurrency: number | null;
  capacityPct: number | null;
}

export interface MinutePoint {
  minute: string;
  executions: number | null;
}

/** GET /api/v1/metrics/execution/throughput */
export interface ThroughputMetrics {
  clientId: number;
  range: RangeInfo;
  total: number;
  /** Total against the period of the same length just before. */
  comparison: Comparison;
  /** Averages over the time the buckets cover (up to now). */
  perMinute: number | null;
  perHour: number | null;
  perDay: number | null;
  /** The busiest bucket of the series. */
  peak: { bucket: string; executions: number } | null;
  /** From raw executions, only when the range is at most 6 hours. */
  peakMinute: { minute: string; executions: number } | null;
  series: ThroughputPoint[];
  minuteSeries: MinutePoint[] | null;
  capacity: {
    concurrencyLimit: number;
    peakConcurrency: number | null;
    peakAt: string | null;
    peakPct: number | null;
    /** Mean over buckets with data. */
    avgPct: number | null;
  };
}

// ---- latency ------------------------------------------------------------------------

export interface LatencyBand {
  label: string;
  minMs: number;
  /** Exclusive; null for the open last band. */
  maxMs: number | null;
  count: number;
  percent: number | null;
}

export interface WorkflowLatency {
  workflowId: number;
  name: string;
  /** Executions with a duration. */
  count: number;
  avgMs: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  maxMs: number | null;
}

/** GET /api/v1/metrics/execution/latency */
export interface LatencyMetrics {
  clientId: number;
  range: RangeInfo;
  /** Executions with a duration. */
  count: number;
  /** From merged histograms: each within `relativeAccuracy` of the exact value. */
  percentiles: Percentiles;
  relativeAccuracy: number;
  avgMs: number | null;
  minMs: number | null;
  maxMs: number | null;
  comparison: { p95: Comparison; avgMs: Comparison };
  /** Counts per duration band; they sum to `count`. */
  distribution: LatencyBand[];
  /** Top 10 by p95. */
  slowestWorkflows: WorkflowLatency[];
}

// ---- performance --------------------------------------------------------------------

export interface WorkflowFailures {
  workflowId: number;
  name: string;
  executions: number;
  success: number;
  /** error + crashed. */
  failures: number;
  canceled: number;
  /** failures / finished (success, error, crashed, canceled). */
  failureRate: number | null;
  successRate: number | null;
}

export interface HourOfDayFailures {
  /** 0–23, UTC. */
  hour: number;
  executions: number;
  failures: number;
  failureRate: number | null;
}

export interface ErrorMessageCount {
  message: string;
  /** The failing node most often named with it. */
  node: string | null;
  count: number;
  workflows: number;
  lastSeenAt: string;
}

/** GET /api/v1/metrics/execution/performance */
export interface PerformanceMetrics {
  clientId: number;
  range: RangeInfo;
  executions: number;
  finished: number;
  success: number;
  failures: number;
  canceled: number;
  successRate: number | null;
  failureRate: number | null;
  comparison: { successRate: Comparison; failures: Comparison };
  /** Every workflow with executions, most failures first. */
  byWorkflow: WorkflowFailures[];
  /** Always 24 entries. */
  byHourOfDay: HourOfDayFailures[];
  /** Hourly rollups while the range is within their retention, else raw executions. */
  byHourSource: "hourly" | "raw";
  /** Top 10 messages of failed executions still held raw. */
  topErrors: ErrorMessageCount[];
}

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

/** GET /api/v1/metrics/execution */
export interface ExecutionMetrics {
  clientId: number;
  range: RangeInfo;
  realtime: RealtimeMetrics;
  throughput: ThroughputMetrics;
  latency: LatencyMetrics;
  performance: PerformanceMetrics;
  patterns: PatternMetrics;
}
