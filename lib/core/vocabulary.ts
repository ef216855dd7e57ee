/**
 * Flowscope's vocabulary: every status set, mode and granularity, written once. The
 * schema's enum columns, the zod schemas, SQL \`in (...)\` lists (sqlLiterals) and the
 * pages all read these lists; nothing else spells them out.
 */
export const EXECUTION_STATUSES = [
  "success",
  "error",
  "crashed",
  "canceled",
  "running",
  "waiting",
  "new",
  "unknown",
] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

/** n8n's execution modes (its public API's list); the explorer refuses any other. */
export const EXECUTION_MODES = [
  "manual",
  "trigger",
  "webhook",
  "retry",
  "integrated",
  "cli",
  "internal",
  "error",
  "evaluation",
  "chat",
  "agent",
] as const;

/** Statuses after which n8n never changes an execution again. */
export const FINAL_STATUSES = ["success", "error", "crashed", "canceled"] as const;

/**
 * Statuses n8n may still change: such rows are re-read on every sync until they finish,
 * and retention keeps their hour raw until then.
 */
export const UNFINISHED_STATUSES = ["running", "waiting", "new"] as const satisfies readonly ExecutionStatus[];

/** Unfinished executions that are not running: waiting (a Wait node) or not started yet. */
export const WAITING_STATUSES = ["waiting", "new"] as const satisfies readonly ExecutionStatus[];

/** Final statuses that count as failures (a canceled run was stopped on purpose). */
export const FAILED_STATUSES = ["error", "crashed"] as const satisfies readonly ExecutionStatus[];

export const GRANULARITIES = ["hour", "day", "week", "month"] as const;
export type Granularity = (typeof GRANULARITIES)[number];

export const SYNC_FUNCTIONS = ["collect", "sync-client", "rollup", "retention", "backfill", "reclassify"] as const;
export type SyncFunction = (typeof SYNC_FUNCTIONS)[number];

export const SYNC_TRIGGERS = ["cron", "event", "manual", "cli", "startup"] as const;
export type SyncTrigger = (typeof SYNC_TRIGGERS)[number];

export const SYNC_STATUSES = ["queued", "running", "success", "error"] as const;
export type SyncStatus = (typeof SYNC_STATUSES)[number];

/**
 * Kinds of operational points in system_metrics (lib/telemetry): Flowscope's own and
 * those other services post. The names Flowscope records are lib/telemetry/names.ts.
 */
export const SYSTEM_METRIC_TYPES = [
  "processing_time",
  "success_rate",
  "resource_usage",
  "queue_metrics",
  "custom",
] as const;
export type SystemMetricType = (typeof SYSTEM_METRIC_TYPES)[number];

/** Buckets the system-metrics query aggregates points into. */
export const SYSTEM_METRIC_WINDOWS = ["1m", "5m", "1h", "1d"] as const;
export type SystemMetricWindow = (typeof SYSTEM_METRIC_WINDOWS)[number];

export const GAP_STATES = ["unprobed", "missing"] as const;
export type GapState = (typeof GAP_STATES)[number];

/**
 * How an llm_usage row's cost was set. `explicit`: given by the ingest caller, never
 * re-priced; the others come from pricing (lib/ingest/llm/pricing.ts) and a backfill with
 * recomputeCosts may re-price them.
 */
export const LLM_COST_SOURCES = ["explicit", "override", "catalog", "unpriced"] as const;
export type LlmCostSource = (typeof LLM_COST_SOURCES)[number];

/** Wall time per phase of a run; the phases of a sync add up to `total`. */
export const RUN_PHASES = ["fetch", "probe", "classify", "store", "llm", "errors", "rollup", "other"] as const;
export type RunPhase = (typeof RUN_PHASES)[number];
export type PhaseTimings = Partial<Record<RunPhase | "total", number>>;

export const USER_ROLES = ["admin", "operator", "client"] as const;
export type UserRole = (typeof USER_ROLES)[number];

/**
 * Alert rule kinds (lib/alerts/rules.ts holds each kind's parameters). Window kinds read
 * executions over a trailing window; time kinds (silence, missed schedules, stuck runs,
 * stale data) can change with nothing new collected, so the scheduled evaluation exists.
 */
export const ALERT_RULE_KINDS = [
  "failure_rate",
  "failures",
  "latency",
  "silence",
  "missed_schedule",
  "stuck",
  "stale_data",
  "coverage",
  "llm_cost",
  "anomaly",
] as const;
export type AlertRuleKind = (typeof ALERT_RULE_KINDS)[number];

export const ALERT_SEVERITIES = ["critical", "warning", "info"] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/**
 * An alert's episode, per rule and subject: pending while its condition holds for less
 * than the rule's "for", firing after, resolved once it clears. A pending episode whose
 * condition clears before it fires ends as `ok` (no notification was ever sent).
 */
export const ALERT_STATES = ["pending", "firing", "resolved", "ok"] as const;
export type AlertState = (typeof ALERT_STATES)[number];
/** Episodes still being evaluated: at most one per rule and subject. */
export const OPEN_ALERT_STATES = ["pending", "firing"] as const satisfies readonly AlertState[];

/** What happened to an alert, one row each in its history. */
export const ALERT_EVENT_KINDS = [
  "pending",
  "firing",
  "reminder",
  "resolved",
  "ok",
  "acknowledged",
  "silenced",
] as const;
export type AlertEventKind = (typeof ALERT_EVENT_KINDS)[number];

export const ALERT_CHANNEL_KINDS = ["webhook", "slack", "email"] as const;
export type AlertChannelKind = (typeof ALERT_CHANNEL_KINDS)[number];

/** Why a notification is sent: an alert's transitions, or a channel's "send test notification". */
export const NOTIFICATION_KINDS = ["firing", "reminder", "resolved", "test"] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** A notification in the delivery queue: retried with backoff while pending, failed after its last attempt. */
export const DELIVERY_STATUSES = ["pending", "delivered", "failed"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** n8n node types that start a workflow on a schedule (the missed-schedule alert reads them). */
export const SCHEDULE_TRIGGER_TYPES = ["n8n-nodes-base.scheduleTrigger", "n8n-nodes-base.cron"] as const;

/** A schedule trigger node as stored with its workflow (workflows.schedule_triggers). */
export interface ScheduleTriggerNode {
  name: string;
  type: string;
  parameters: Record<string, unknown>;
  disabled?: boolean;
}
