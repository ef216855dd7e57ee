/**
 * Response shapes of /api/v1/metrics/execution and its sections. Each is a zod schema
 * with a type of the same name: the type is what code uses, the schema is what
 * /api/v1/openapi.json describes (as in lib/metrics/types.ts). Dates travel as ISO
 * strings, percentages as 0–100, durations in ms. A bucket without data is null, never a
 * made-up zero. Every figure counts production executions only, like the rollups.
 */
import { z } from "zod";
import { SYNC_STATUSES } from "@/lib/core/vocabulary";
import type { ResolvedRange } from "@/lib/metrics/range";
import {
  Comparison,
  ExecutionStatusSchema,
  GranularitySchema,
  IsoDateTime,
  NullableNumber,
  NumberSchema,
  Percentiles,
} from "@/lib/metrics/schema-common";

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

export const RangeInfo = z.object({
  start: IsoDateTime,
  end: IsoDateTime,
  /** The rollup level that answers the range-wide figures. */
  granularity: GranularitySchema,
});
export type RangeInfo = z.infer<typeof RangeInfo>;

// ---- realtime -----------------------------------------------------------------------

export const QueueSeverity = z.enum(["ok", "warning", "critical"]);
export type QueueSeverity = z.infer<typeof QueueSeverity>;

export const LiveExecution = z.object({
  /** n8n's execution id. */
  executionId: NumberSchema,
  workflowId: NumberSchema,
  workflowName: z.string(),
  status: ExecutionStatusSchema,
  /** started_at, or when Flowscope first saw it for queued executions n8n has not started. */
  since: IsoDateTime.nullable(),
  ageSeconds: NullableNumber,
  /** Wait-node executions: when n8n resumes them. */
  waitTill: IsoDateTime.nullable(),
});
export type LiveExecution = z.infer<typeof LiveExecution>;

export const Freshness = z.object({
  /** finishedAt of the newest successful sync of this client. */
  lastSyncAt: IsoDateTime.nullable(),
  ageSeconds: NullableNumber,
  /** Older than twice the collect interval, or never synced. */
  stale: z.boolean(),
  collectIntervalSeconds: NumberSchema,
  lastRun: z
    .object({
      status: z.enum(SYNC_STATUSES),
      startedAt: IsoDateTime,
      finishedAt: IsoDateTime.nullable(),
      error: z.string().nullable(),
    })
    .nullable(),
});
export type Freshness = z.infer<typeof Freshness>;

/** GET /api/v1/metrics/execution/realtime: as of the last sync, not of n8n this second. */
export const RealtimeMetrics = z.object({
  clientId: NumberSchema,
  asOf: IsoDateTime,
  running: NumberSchema,
  /** Paused at a Wait node. */
  waiting: NumberSchema,
  /** Status new: accepted by n8n, not started yet (concurrency queue). */
  queued: NumberSchema,
  queue: z.object({
    /** waiting + queued. */
    depth: NumberSchema,
    severity: QueueSeverity,
    concurrencyLimit: NumberSchema,
    /** Depth at which severity turns warning / critical. */
    thresholds: z.object({ warning: NumberSchema, critical: NumberSchema }),
  }),
  /** running / concurrencyLimit. */
  capacityPct: NumberSchema,
  oldestWaiting: LiveExecution.nullable(),
  /** Up to 20 running executions, longest running first. */
  runningNow: z.array(LiveExecution),
  freshness: Freshness,
});
export type RealtimeMetrics = z.infer<typeof RealtimeMetrics>;

// ---- throughput ---------------------------------------------------------------------

export const ThroughputPoint = z.object({
  bucket: IsoDateTime,
  executions: NullableNumber,
  /** Sum of the workflows' peaks in the bucket: an upper bound of the client's concurrency. */
  peakConcurrency: NullableNumber,
  capacityPct: NullableNumber,
});
export type ThroughputPoint = z.infer<typeof ThroughputPoint>;

export const MinutePoint = z.object({ minute: IsoDateTime, executions: NullableNumber });
export type MinutePoint = z.infer<typeof MinutePoint>;

/** GET /api/v1/metrics/execution/throughput */
export const ThroughputMetrics = z.object({
  clientId: NumberSchema,
  range: RangeInfo,
  total: NumberSchema,
  /** Total against the period of the same length just before. */
  comparison: Comparison,
  /** Averages over the time the buckets cover (up to now). */
  perMinute: NullableNumber,
  perHour: NullableNumber,
  perDay: NullableNumber,
  /** The busiest bucket of the series. */
  peak: z.object({ bucket: IsoDateTime, executions: NumberSchema }).nullable(),
  /** From raw executions, only when the range is at most 6 hours. */
  peakMinute: z.object({ minute: IsoDateTime, executions: NumberSchema }).nullable(),
  series: z.array(ThroughputPoint),
  minuteSeries: z.array(MinutePoint).nullable(),
  capacity: z.object({
    concurrencyLimit: NumberSchema,
    peakConcurrency: NullableNumber,
    peakAt: IsoDateTime.nullable(),
    peakPct: NullableNumber,
    /** Mean over buckets with data. */
    avgPct: NullableNumber,
  }),
});
export type ThroughputMetrics = z.infer<typeof ThroughputMetrics>;

// ---- latency ------------------------------------------------------------------------

export const LatencyBand = z.object({
  label: z.string(),
  minMs: NumberSchema,
  /** Exclusive; null for the open last band. */
  maxMs: NullableNumber,
  count: NumberSchema,
  percent: NullableNumber,
});
export type LatencyBand = z.infer<typeof LatencyBand>;

export const WorkflowLatency = z.object({
  workflowId: NumberSchema,
  name: z.string(),
  /** Executions with a duration. */
  count: NumberSchema,
  avgMs: NullableNumber,
  p50: NullableNumber,
  p95: NullableNumber,
  p99: NullableNumber,
  maxMs: NullableNumber,
});
export type WorkflowLatency = z.infer<typeof WorkflowLatency>;

/** GET /api/v1/metrics/execution/latency */
export const LatencyMetrics = z.object({
  clientId: NumberSchema,
  range: RangeInfo,
  /** Executions with a duration. */
  count: NumberSchema,
  /** From merged histograms: each within `relativeAccuracy` of the exact value. */
  percentiles: Percentiles,
  relativeAccuracy: NumberSchema,
  avgMs: NullableNumber,
  minMs: NullableNumber,
  maxMs: NullableNumber,
  comparison: z.object({ p95: Comparison, avgMs: Comparison }),
  /** Counts per duration band; they sum to `count`. */
  distribution: z.array(LatencyBand),
  /** Top 10 by p95. */
  slowestWorkflows: z.array(WorkflowLatency),
});
export type LatencyMetrics = z.infer<typeof LatencyMetrics>;

// ---- performance --------------------------------------------------------------------

export const WorkflowFailures = z.object({
  workflowId: NumberSchema,
  name: z.string(),
  executions: NumberSchema,
  success: NumberSchema,
  /** error + crashed. */
  failures: NumberSchema,
  canceled: NumberSchema,
  /** failures / finished (success, error, crashed, canceled). */
  failureRate: NullableNumber,
  successRate: NullableNumber,
});
export type WorkflowFailures = z.infer<typeof WorkflowFailures>;

export const HourOfDayFailures = z.object({
  /** 0–23, UTC. */
  hour: NumberSchema,
  executions: NumberSchema,
  failures: NumberSchema,
  failureRate: NullableNumber,
});
export type HourOfDayFailures = z.infer<typeof HourOfDayFailures>;

export const ErrorMessageCount = z.object({
  message: z.string(),
  /** The failing node most often named with it. */
  node: z.string().nullable(),
  count: NumberSchema,
  workflows: NumberSchema,
  lastSeenAt: IsoDateTime,
});
export type ErrorMessageCount = z.infer<typeof ErrorMessageCount>;

/** GET /api/v1/metrics/execution/performance */
export const PerformanceMetrics = z.object({
  clientId: NumberSchema,
  range: RangeInfo,
  executions: NumberSchema,
  finished: NumberSchema,
  success: NumberSchema,
  failures: NumberSchema,
  canceled: NumberSchema,
  successRate: NullableNumber,
  failureRate: NullableNumber,
  comparison: z.object({ successRate: Comparison, failures: Comparison }),
  /** Every workflow with executions, most failures first. */
  byWorkflow: z.array(WorkflowFailures),
  /** Always 24 entries. */
  byHourOfDay: z.array(HourOfDayFailures),
  /** Hourly rollups while the range is within their retention, else raw executions. */
  byHourSource: z.enum(["hourly", "raw"]),
  /** Top 10 messages of failed executions still held raw. */
  topErrors: z.array(ErrorMessageCount),
});
export type PerformanceMetrics = z.infer<typeof PerformanceMetrics>;

// ---- patterns -----------------------------------------------------------------------

export const TimelinePoint = z.object({
  bucket: IsoDateTime,
  executions: NullableNumber,
  failures: NullableNumber,
  successRate: NullableNumber,
});
export type TimelinePoint = z.infer<typeof TimelinePoint>;

export const Burst = z.object({
  level: z.enum(["hour", "minute"]),
  /** First bucket of a run of consecutive burst buckets. */
  start: IsoDateTime,
  /** End of the last bucket (exclusive). */
  end: IsoDateTime,
  buckets: NumberSchema,
  executions: NumberSchema,
  peakExecutions: NumberSchema,
  baselineMedian: NumberSchema,
  baselineMad: NumberSchema,
  reason: z.string(),
});
export type Burst = z.infer<typeof Burst>;

export const AnomalyMetric = z.enum(["volume", "failure_rate"]);
export type AnomalyMetric = z.infer<typeof AnomalyMetric>;

export const Anomaly = z.object({
  /** Start of the hour. */
  bucket: IsoDateTime,
  metric: AnomalyMetric,
  direction: z.enum(["high", "low"]),
  /** Executions, or the failure rate in percent. */
  value: NumberSchema,
  baselineMedian: NumberSchema,
  baselineMad: NumberSchema,
  robustZ: NumberSchema,
  executions: NumberSchema,
  failures: NumberSchema,
  reason: z.string(),
});
export type Anomaly = z.infer<typeof Anomaly>;

/** GET /api/v1/metrics/execution/patterns */
export const PatternMetrics = z.object({
  clientId: NumberSchema,
  range: RangeInfo,
  /** At the range's granularity (hourly up to 7 days). */
  timeline: z.array(TimelinePoint),
  baseline: z.object({
    kind: z.enum(BASELINES),
    /** Hours the baseline of one hour looks back over. */
    windowHours: NumberSchema,
    /** |robust z| at or above which an hour is an anomaly. */
    threshold: NumberSchema,
    /** A burst exceeds median + k·MAD. */
    burstK: NumberSchema,
  }),
  /** Hours after this are not judged: not collected yet (last sync) or not over. */
  analyzedUntil: IsoDateTime,
  bursts: z.array(Burst),
  anomalies: z.array(Anomaly),
});
export type PatternMetrics = z.infer<typeof PatternMetrics>;

/** GET /api/v1/metrics/execution */
export const ExecutionMetrics = z.object({
  clientId: NumberSchema,
  range: RangeInfo,
  realtime: RealtimeMetrics,
  throughput: ThroughputMetrics,
  latency: LatencyMetrics,
  performance: PerformanceMetrics,
  patterns: PatternMetrics,
});
export type ExecutionMetrics = z.infer<typeof ExecutionMetrics>;
