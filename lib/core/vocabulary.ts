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

export const METRIC_TYPES = ["counter", "gauge", "histogram"] as const;

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
