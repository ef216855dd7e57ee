import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  serial,
  bigserial,
  text,
  timestamp,
  primaryKey,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { sqlLiterals } from "./sql-literals";

/** Enum values shared by columns and zod schemas. */
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

const timestamps = {
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
};

export const clients = pgTable("clients", {
  id: serial("id").primaryKey(),
  name: text("name").notNull(),
  slug: text("slug").notNull().unique(),
  n8nBaseUrl: text("n8n_base_url").notNull(),
  /** AES-256-GCM ciphertext (lib/secrets); only lib/clients/connection.ts decrypts it. */
  n8nApiKey: text("n8n_api_key").notNull(),
  /** The key's last 4 characters: all a page or an API answer ever shows of it. */
  n8nApiKeyHint: text("n8n_api_key_hint").notNull().default(""),
  /** FilterRules (lib/classify/rules.ts), validated before every write. */
  filterRules: jsonb("filter_rules")
    .notNull()
    .default(sql`'{}'::jsonb`),
  active: boolean("active").notNull().default(true),
  /** Parallel executions the client's n8n can run; the denominator of capacity use. */
  concurrencyLimit: integer("concurrency_limit").notNull().default(10),
  /** Minutes saved by a workflow that sets no timeSavedPerExecution. */
  defaultMinutesSaved: doublePrecision("default_minutes_saved").notNull().default(0),
  /**
   * Set once a sync has paged to the end of n8n's list. Until then a sync must not stop
   * at known executions: an interrupted first backfill would otherwise never resume.
   */
  historyCompleteAt: timestamp("history_complete_at", { withTimezone: true }),
  /**
   * The lowest execution id n8n listed when a sync first read to the end of its list:
   * where this client's history starts. Ids below it existed before Flowscope did.
   */
  historyFloorId: bigint("history_floor_id", { mode: "number" }),
  /**
   * When the client's base URL last answered like the n8n API. Once it has, an HTML page
   * on one request is a proxy's hiccup (transient), not a wrong URL. Cleared on a URL change.
   */
  n8nVerifiedAt: timestamp("n8n_verified_at", { withTimezone: true }),
  /** When the execution at the history floor started: where the history starts, whatever retention dropped since. */
  historyStartAt: timestamp("history_start_at", { withTimezone: true }),
  /** Executions collected, counted and then dropped by raw retention: still part of what was collected. */
  executionsRetired: bigint("executions_retired", { mode: "number" }).notNull().default(0),
  /**
   * The sync-client run that holds this client's sync, across processes (the server, the
   * CLI, replicas): claimed atomically, free again once that run's lease has expired.
   */
  syncRunId: integer("sync_run_id"),
  ...timestamps,
});

export const workflows = pgTable(
  "workflows",
  {
    id: serial("id").primaryKey(),
    clientId: integer("client_id")
      .notNull()
      .references(() => clients.id, { onDelete: "cascade" }),
    n8nWorkflowId: text("n8n_workflow_id").notNull(),
    name: text("name").notNull(),
    active: boolean("active").notNull().default(false),
    isArchived: boolean("is_archived").notNull().default(false),
    tags: jsonb("tags")
      .$type<string[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    /** Node types in the workflow; tells the LLM extractor which executions need data. */
    nodeTypes: jsonb("node_types")
      .$type<string[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    minutesSavedPerExecution: doublePrecision("minutes_saved_per_execution"),
    n8nCreatedAt: timestamp("n8n_created_at", { withTimezone: true }),
    n8nUpdatedAt: timestamp("n8n_updated_at", { withTimezone: true }),
    lastSyncedAt: timestamp("last_synced_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("workflows_client_n8n_id_uq").on(t.clientId, t.n8nWorkflowId)],
);

export const executions = pgTable(
  "executions",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    clientId: integer("client_id")
      .notNull()
      .references(() => clients.id, { onDelete: "cascade" }),
    workflowId: integer("workflow_id")
      .notNull()
      .references(() => workflows.id, { onDelete: "cascade" }),
    // n8n ids are numeric strings; bigint makes "newer than" an integer comparison.
    n8nExecutionId: bigint("n8n_execution_id", { mode: "number" }).notNull(),
    status: text("status", { enum: EXECUTION_STATUSES }).notNull(),
    mode: text("mode").notNull(),
    finished: boolean("finished").notNull().default(false),
    startedAt: timestamp("started_at", { withTimezone: true }),
    stoppedAt: timestamp("stopped_at", { withTimezone: true }),
    waitTill: timestamp("wait_till", { withTimezone: true }),
    durationMs: integer("duration_ms"),
    retryOf: bigint("retry_of", { mode: "number" }),
    isProduction: boolean("is_production").notNull(),
    exclusionReason: text("exclusion_reason"),
    errorMessage: text("error_message"),
    errorNode: text("error_node"),
    firstSeenAt: timestamp("first_seen_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    /**
     * Null while the LLM usage in the run data is still to be read (AI workflows only;
     * others are stored with a value). Cleared again when an AI execution finishes, so
     * its final run data is read. Durable, so failed or interrupted reads are retried.
     */
    llmExtractedAt: timestamp("llm_extracted_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("executions_client_n8n_id_uq").on(t.clientId, t.n8nExecutionId),
    // Range scans for rollups, live metrics and retention.
    index("executions_client_started_idx").on(t.clientId, t.startedAt),
    // Unfinished executions are re-read on every sync until they finish.
    index("executions_unfinished_idx")
      .on(t.clientId)
      .where(sql`${t.status} in (${sqlLiterals(UNFINISHED_STATUSES)})`),
    // Executions whose LLM usage each sync still has to read; partial, so it stays tiny.
    index("executions_llm_pending_idx")
      .on(t.clientId, t.workflowId)
      .where(sql`${t.llmExtractedAt} is null`),
  ],
);

/**
 * What a bucket counts. Shared by `rollups` (the buckets) and `rollup_archive` (what
 * children that retention deleted had contributed), so the two always add up column by column.
 */
const bucketMeasures = () => ({
  total: integer("total").notNull().default(0),
  success: integer("success").notNull().default(0),
  error: integer("error").notNull().default(0),
  crashed: integer("crashed").notNull().default(0),
  canceled: integer("canceled").notNull().default(0),
  /** waiting, running, new, unknown: counted, but not final. */
  other: integer("other").notNull().default(0),
  durationCount: integer("duration_count").notNull().default(0),
  durationSumMs: bigint("duration_sum_ms", { mode: "number" }).notNull().default(0),
  durationMinMs: integer("duration_min_ms"),
  durationMaxMs: integer("duration_max_ms"),
  /** Sparse log-bucket histogram {bucketIndex: count}, see lib/rollups/histogram.ts. */
  latencyHistogram: jsonb("latency_histogram")
    .$type<Record<string, number>>()
    .notNull()
    .default(sql`'{}'::jsonb`),
  peakConcurrency: integer("peak_concurrency").notNull().default(0),
  minutesSaved: doublePrecision("minutes_saved").notNull().default(0),
  llmCalls: integer("llm_calls").notNull().default(0),
  tokensIn: bigint("tokens_in", { mode: "number" }).notNull().default(0),
  tokensOut: bigint("tokens_out", { mode: "number" }).notNull().default(0),
  /** Integer micro-dollars: exact sums, formatted only at display. */
  costMicroUsd: bigint("cost_micro_usd", { mode: "number" }).notNull().default(0),
});

const bucketKey = () => ({
  clientId: integer("client_id")
    .notNull()
    .references(() => clients.id, { onDelete: "cascade" }),
  workflowId: integer("workflow_id")
    .notNull()
    .references(() => workflows.id, { onDelete: "cascade" }),
  granularity: text("granularity", { enum: GRANULARITIES }).notNull(),
  /** UTC start of the bucket; weeks start on Monday (date_trunc('week')). */
  bucketStart: timestamp("bucket_start", { withTimezone: true }).notNull(),
});

export const rollups = pgTable(
  "rollups",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    ...bucketKey(),
    ...bucketMeasures(),
    computedAt: timestamp("computed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One row per bucket: every write is an idempotent upsert on this key.
    uniqueIndex("rollups_bucket_uq").on(t.clientId, t.granularity, t.bucketStart, t.workflowId),
    index("rollups_workflow_idx").on(t.workflowId, t.granularity, t.bucketStart),
  ],
);

/**
 * The part of a bucket whose sources retention deleted: for an hour, its raw executions;
 * for a day, its hour rows; for a week or month, its day rows. A bucket is always
 * recomputed as its archive plus the sources that still exist, so a late execution in an
 * old hour adds to what was counted there instead of replacing it.
 */
export const rollupArchive = pgTable(
  "rollup_archive",
  {
    ...bucketKey(),
    ...bucketMeasures(),
    archivedAt: timestamp("archived_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.clientId, t.granularity, t.bucketStart, t.workflowId] })],
);

/**
 * The dirty-bucket queue: (client, workflow, UTC hour) keys whose hour bucket, and the
 * day, week and month above it, must be recomputed. Filled by triggers on every insert or
 * bucket-relevant update of executions and llm_usage (old and new keys; drizzle/0005),
 * drained by rollup refresh in the transaction that recomputes them.
 */
export const rollupDirtyHours = pgTable(
  "rollup_dirty_hours",
  {
    clientId: integer("client_id")
      .notNull()
      .references(() => clients.id, { onDelete: "cascade" }),
    workflowId: integer("workflow_id")
      .notNull()
      .references(() => workflows.id, { onDelete: "cascade" }),
    hour: timestamp("hour", { withTimezone: true }).notNull(),
    /** Bumped on every re-enqueue, so a refresh that read the key before conflicts and retries. */
    enqueuedAt: timestamp("enqueued_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.clientId, t.hour, t.workflowId] })],
);

/**
 * The coverage ledger's read ranges: spans of the execution id line [lo, hi] over which
 * n8n's list has been read. Kept merged; one range from the history floor to the newest
 * id means nothing is left to read. Holes between ranges are still to read.
 */
export const collectRanges = pgTable(
  "collect_ranges",
  {
    id: serial("id").primaryKey(),
    clientId: integer("client_id")
      .notNull()
      .references(() => clients.id, { onDelete: "cascade" }),
    lo: bigint("lo", { mode: "number" }).notNull(),
    hi: bigint("hi", { mode: "number" }).notNull(),
    readAt: timestamp("read_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("collect_ranges_client_idx").on(t.clientId, t.hi)],
);

export const GAP_STATES = ["unprobed", "missing"] as const;
export type GapState = (typeof GAP_STATES)[number];

/**
 * Ids inside read ranges that the list did not return and that are not stored: a running
 * execution (n8n hides those), or one pruned, deleted or not visible to the key. Unprobed
 * gaps are asked for one by one (GET /executions/{id}); a 404 makes them `missing`.
 * `afterAt`/`beforeAt`: start times of the stored neighbours, the gap's time span.
 */
export const collectGaps = pgTable(
  "collect_gaps",
  {
    id: serial("id").primaryKey(),
    clientId: integer("client_id")
      .notNull()
      .references(() => clients.id, { onDelete: "cascade" }),
    lo: bigint("lo", { mode: "number" }).notNull(),
    hi: bigint("hi", { mode: "number" }).notNull(),
    state: text("state", { enum: GAP_STATES }).notNull().default("unprobed"),
    afterAt: timestamp("after_at", { withTimezone: true }),
    beforeAt: timestamp("before_at", { withTimezone: true }),
    firstSeenAt: timestamp("first_seen_at", { withTimezone: true }).notNull().defaultNow(),
    /** When a probe first answered 404 (state missing). */
    missingSince: timestamp("missing_since", { withTimezone: true }),
  },
  (t) => [index("collect_gaps_client_idx").on(t.clientId, t.state, t.hi)],
);

/**
 * How an llm_usage row's cost was set. `explicit`: given by the ingest caller, never
 * re-priced; the others come from pricing (lib/llm/pricing.ts) and a backfill with
 * recomputeCosts may re-price them.
 */
export const LLM_COST_SOURCES = ["explicit", "override", "catalog", "unpriced"] as const;
export type LlmCostSource = (typeof LLM_COST_SOURCES)[number];

export const llmUsage = pgTable(
  "llm_usage",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    clientId: integer("client_id")
      .notNull()
      .references(() => clients.id, { onDelete: "cascade" }),
    workflowId: integer("workflow_id").references(() => workflows.id, { onDelete: "set null" }),
    n8nExecutionId: bigint("n8n_execution_id", { mode: "number" }),
    nodeName: text("node_name"),
    provider: text("provider"),
    model: text("model").notNull(),
    promptTokens: integer("prompt_tokens").notNull().default(0),
    completionTokens: integer("completion_tokens").notNull().default(0),
    totalTokens: integer("total_tokens").notNull().default(0),
    isEstimate: boolean("is_estimate").notNull().default(false),
    /** Null means unpriced (unknown model), never $0. */
    costMicroUsd: bigint("cost_micro_usd", { mode: "number" }),
    /** Null only for rows stored before the source was recorded (they are re-priceable). */
    costSource: text("cost_source", { enum: LLM_COST_SOURCES }),
    reason: text("reason"),
    source: text("source", { enum: ["n8n", "ingest"] }).notNull(),
    /** Retries of the same event or re-extraction of the same node run do not double count. */
    idempotencyKey: text("idempotency_key").notNull(),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("llm_usage_idempotency_uq").on(t.clientId, t.idempotencyKey),
    index("llm_usage_client_time_idx").on(t.clientId, t.occurredAt),
    // Usage of given executions: the production filter, reclassified executions, retention.
    index("llm_usage_execution_idx")
      .on(t.clientId, t.n8nExecutionId)
      .where(sql`${t.n8nExecutionId} is not null`),
  ],
);

export const modelPriceOverrides = pgTable(
  "model_price_overrides",
  {
    id: serial("id").primaryKey(),
    model: text("model").notNull(),
    provider: text("provider"),
    /** Micro-dollars per million tokens. */
    inputPerMillionMicroUsd: bigint("input_per_million_micro_usd", { mode: "number" }).notNull(),
    outputPerMillionMicroUsd: bigint("output_per_million_micro_usd", { mode: "number" }).notNull(),
    /** Past costs keep the price that held at their time. */
    effectiveFrom: timestamp("effective_from", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("model_price_overrides_uq").on(t.model, t.effectiveFrom)],
);

/** Wall time per phase of a run; the phases of a sync add up to `total`. */
export const RUN_PHASES = ["fetch", "probe", "classify", "store", "llm", "rollup", "other"] as const;
export type RunPhase = (typeof RUN_PHASES)[number];
export type PhaseTimings = Partial<Record<RunPhase | "total", number>>;

export const syncRuns = pgTable(
  "sync_runs",
  {
    id: serial("id").primaryKey(),
    function: text("function", { enum: SYNC_FUNCTIONS }).notNull(),
    trigger: text("trigger", { enum: SYNC_TRIGGERS }).notNull(),
    clientId: integer("client_id").references(() => clients.id, { onDelete: "cascade" }),
    status: text("status", { enum: SYNC_STATUSES }).notNull().default("running"),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    pages: integer("pages").notNull().default(0),
    workflowsSeen: integer("workflows_seen").notNull().default(0),
    executionsSeen: integer("executions_seen").notNull().default(0),
    executionsNew: integer("executions_new").notNull().default(0),
    executionsUpdated: integer("executions_updated").notNull().default(0),
    executionsExcluded: integer("executions_excluded").notNull().default(0),
    phaseMs: jsonb("phase_ms")
      .$type<PhaseTimings>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    details: jsonb("details").$type<Record<string, unknown>>(),
    /** One readable sentence with its cause. */
    error: text("error"),
    /** Technical detail of the error (SQL text, stack), capped; for debugging only. */
    errorDetail: text("error_detail"),
    /**
     * The lease: a running run's process bumps this every few seconds. A run whose
     * heartbeat is older than the lease was killed, and whoever looks next fails it.
     */
    heartbeatAt: timestamp("heartbeat_at", { withTimezone: true }),
  },
  (t) => [
    // Freshness per client and the sync history page read the newest runs first.
    index("sync_runs_client_started_idx").on(t.clientId, t.function, t.startedAt),
    // The metrics cache's data version: the newest finished run per client, read on every request.
    index("sync_runs_client_finished_idx")
      .on(t.clientId, t.finishedAt)
      .where(sql`${t.finishedAt} is not null`),
    // Lease expiry (lib/runs/lease.ts) runs at every run's start: only running rows, by last sign of life.
    index("sync_runs_running_lease_idx")
      .on(sql`coalesce(${t.heartbeatAt}, ${t.startedAt})`)
      .where(sql`${t.status} = 'running'`),
  ],
);

export const systemMetrics = pgTable(
  "system_metrics",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    name: text("name").notNull(),
    type: text("type", { enum: METRIC_TYPES }).notNull(),
    value: doublePrecision("value").notNull(),
    unit: text("unit"),
    service: text("service").notNull().default("flowscope"),
    labels: jsonb("labels")
      .$type<Record<string, string>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("system_metrics_name_time_idx").on(t.name, t.recordedAt)],
);

export type Client = typeof clients.$inferSelect;
export type NewClient = typeof clients.$inferInsert;
export type Workflow = typeof workflows.$inferSelect;
export type Execution = typeof executions.$inferSelect;
export type NewExecution = typeof executions.$inferInsert;
export type Rollup = typeof rollups.$inferSelect;
export type NewRollup = typeof rollups.$inferInsert;
export type SyncRun = typeof syncRuns.$inferSelect;
export type LlmUsage = typeof llmUsage.$inferSelect;

/* ------------------------------------------------------------------------------------
 * Accounts. better-auth reads and writes these four tables through its Drizzle adapter
 * (lib/auth/auth.ts maps its models user/session/account/verification/rateLimit onto
 * them); the columns follow its core schema, plus our role and client scope.
 * ---------------------------------------------------------------------------------- */

export const USER_ROLES = ["admin", "operator", "client"] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const users = pgTable(
  "users",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    email: text("email").notNull().unique(),
    emailVerified: boolean("email_verified").notNull().default(false),
    image: text("image"),
    role: text("role", { enum: USER_ROLES }).notNull().default("client"),
    /** The one client a `client` user may read; null for operators and admins. */
    clientId: integer("client_id").references(() => clients.id, { onDelete: "cascade" }),
    ...timestamps,
  },
  // A client user without a client would see nothing: that is a bug, so the database refuses it.
  (t) => [check("users_client_scope_ck", sql`${t.role} <> 'client' or ${t.clientId} is not null`)],
);

export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    token: text("token").notNull().unique(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    ...timestamps,
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

export const accounts = pgTable(
  "accounts",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    providerId: text("provider_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    accessToken: text("access_token"),
    refreshToken: text("refresh_token"),
    idToken: text("id_token"),
    accessTokenExpiresAt: timestamp("access_token_expires_at", { withTimezone: true }),
    refreshTokenExpiresAt: timestamp("refresh_token_expires_at", { withTimezone: true }),
    scope: text("scope"),
    /** Password hash (scrypt, by better-auth) for the email-and-password provider. */
    password: text("password"),
    ...timestamps,
  },
  (t) => [index("accounts_user_idx").on(t.userId)],
);

export const verifications = pgTable("verifications", {
  id: text("id").primaryKey(),
  identifier: text("identifier").notNull(),
  value: text("value").notNull(),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  ...timestamps,
});

/** Sign-in attempts per IP and path, in the database so a restart does not reset them. */
export const rateLimits = pgTable("rate_limits", {
  id: text("id").primaryKey(),
  key: text("key").notNull().unique(),
  count: integer("count").notNull(),
  lastRequest: bigint("last_request", { mode: "number" }).notNull(),
});

/**
 * Sign-in attempts per account (lib/auth/sign-in-limit.ts), whatever address they come
 * from: counted until one succeeds, which deletes the row. Keyed by the email as typed,
 * lowercased, so attempts on addresses that have no account are limited the same way.
 */
export const signInFailures = pgTable(
  "sign_in_failures",
  {
    email: text("email").primaryKey(),
    failures: integer("failures").notNull(),
    lastFailureAt: timestamp("last_failure_at", { withTimezone: true }).notNull(),
    /** Attempts before this answer 429 without checking the password. */
    blockedUntil: timestamp("blocked_until", { withTimezone: true }),
  },
  (t) => [index("sign_in_failures_last_failure_idx").on(t.lastFailureAt)],
);

/**
 * Machine access. Only the SHA-256 of a token is stored; the token itself is shown once.
 * A token scoped to a client reads and ingests for that client only; a global one
 * (client_id null) reads every client and ingests for any, but never administers.
 */
export const apiTokens = pgTable("api_tokens", {
  id: serial("id").primaryKey(),
  name: text("name").notNull(),
  tokenHash: text("token_hash").notNull().unique(),
  /** The first characters of the token, so a list can tell tokens apart. */
  prefix: text("prefix").notNull(),
  clientId: integer("client_id").references(() => clients.id, { onDelete: "cascade" }),
  createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  revokedAt: timestamp("revoked_at", { withTimezone: true }),
});

export type User = typeof users.$inferSelect;
export type ApiToken = typeof apiTokens.$inferSelect;
