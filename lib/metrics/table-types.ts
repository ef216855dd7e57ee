/**
 * Response shapes of the table endpoints: recent activity, workflows, historical
 * rollups and the all-clients overview (re-exported by ./types).
 */
import { z } from "zod";
import { SYNC_STATUSES } from "@/lib/core/vocabulary";
import { HEALTH_STATES } from "./client-health";
import {
  Comparison,
  ExecutionStatusSchema,
  GranularitySchema,
  IsoDateTime,
  NumberSchema,
  NullableNumber,
  Period,
} from "./schema-common";

/** One row of GET /api/v1/metrics/recent-activity: newest production executions first. */
export const ActivityItem = z.object({
  /** n8n's execution id. */
  executionId: NumberSchema,
  workflowId: NumberSchema,
  workflowName: z.string(),
  status: ExecutionStatusSchema,
  mode: z.string(),
  startedAt: IsoDateTime,
  stoppedAt: IsoDateTime.nullable(),
  durationMs: NullableNumber,
  errorMessage: z.string().nullable(),
  errorNode: z.string().nullable(),
  llmTokens: NumberSchema,
  /** Null when no priced LLM usage is recorded for the execution. */
  costUsd: NullableNumber,
});
export type ActivityItem = z.infer<typeof ActivityItem>;

export const RecentActivityResponse = z.object({ clientId: NumberSchema, items: z.array(ActivityItem) });
export type RecentActivityResponse = z.infer<typeof RecentActivityResponse>;

/** One group of GET /api/v1/metrics/errors: failures with the same workflow, node and message. */
export const TopError = z.object({
  workflowId: NumberSchema,
  workflowName: z.string(),
  /** The node that failed, as n8n names it; null when n8n did not say. */
  node: z.string().nullable(),
  /** The first 500 characters of the message. */
  message: z.string(),
  /** n8n's error class (NodeApiError, NodeOperationError, …) most of the group's runs had; null when n8n did not say. */
  type: z.string().nullable(),
  failures: NumberSchema,
  firstSeen: IsoDateTime,
  lastSeen: IsoDateTime,
  /** n8n's id of the newest run with this error. */
  lastExecutionId: NumberSchema,
});
export type TopError = z.infer<typeof TopError>;

export const TopErrorsResponse = z.object({
  clientId: NumberSchema,
  period: Period,
  /** Most frequent first. */
  errors: z.array(TopError),
  /** Groups in the range, of which `errors` are the first. */
  groups: NumberSchema,
  /** Failures whose run data was read and holds no message (n8n recorded none, or had pruned the run). */
  failuresWithoutMessage: NumberSchema,
  /** Failures whose run data the syncs have not read yet (a bounded number is read per sync). */
  failuresPendingDetails: NumberSchema,
});
export type TopErrorsResponse = z.infer<typeof TopErrorsResponse>;

/** One row of GET /api/v1/metrics/executions (the explorer): every stored execution, newest first. */
export const ExplorerItem = z.object({
  /** n8n's execution id. */
  executionId: NumberSchema,
  workflowId: NumberSchema,
  n8nWorkflowId: z.string(),
  workflowName: z.string(),
  status: ExecutionStatusSchema,
  mode: z.string(),
  isProduction: z.boolean(),
  /** Why it is not counted (manual, tag:…, pattern:…, test-name:…); null for production runs. */
  exclusionReason: z.string().nullable(),
  /** Null while n8n has not started it. */
  startedAt: IsoDateTime.nullable(),
  stoppedAt: IsoDateTime.nullable(),
  durationMs: NullableNumber,
  errorMessage: z.string().nullable(),
  errorNode: z.string().nullable(),
  /** n8n's error class, e.g. NodeApiError; null when not known. */
  errorType: z.string().nullable(),
  /** The execution in the n8n editor. */
  n8nUrl: z.string(),
});
export type ExplorerItem = z.infer<typeof ExplorerItem>;

export const ExplorerResponse = z.object({
  clientId: NumberSchema,
  items: z.array(ExplorerItem),
  /** Pass as `cursor` for the next, older page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type ExplorerResponse = z.infer<typeof ExplorerResponse>;

/** One row of GET /api/v1/metrics/workflows. */
export const WorkflowRow = z.object({
  workflowId: NumberSchema,
  n8nWorkflowId: z.string(),
  name: z.string(),
  active: z.boolean(),
  archived: z.boolean(),
  executions: NumberSchema,
  success: NumberSchema,
  failures: NumberSchema,
  successRate: NullableNumber,
  avgDurationMs: NullableNumber,
  p95DurationMs: NullableNumber,
  timeSavedMinutes: NumberSchema,
  llmCalls: NumberSchema,
  costUsd: NumberSchema,
  /** Start of the newest production execution, in or before the range. */
  lastRunAt: IsoDateTime.nullable(),
  lastRunStatus: ExecutionStatusSchema.nullable(),
  comparison: z.object({ executions: Comparison, successRate: Comparison }),
});
export type WorkflowRow = z.infer<typeof WorkflowRow>;

export const WorkflowsResponse = z.object({
  clientId: NumberSchema,
  period: Period,
  source: GranularitySchema,
  /** Workflows with executions in the range, then the other live (unarchived) ones. */
  workflows: z.array(WorkflowRow),
});
export type WorkflowsResponse = z.infer<typeof WorkflowsResponse>;

export const HISTORICAL_PERIODS = ["daily", "weekly", "monthly"] as const;
export const HistoricalPeriod = z.enum(HISTORICAL_PERIODS);
export type HistoricalPeriod = z.infer<typeof HistoricalPeriod>;

/** One stored rollup bucket (summed over workflows unless one workflow is asked for). */
export const HistoricalRow = z.object({
  bucket: IsoDateTime,
  executions: NumberSchema,
  success: NumberSchema,
  error: NumberSchema,
  crashed: NumberSchema,
  canceled: NumberSchema,
  /** running, waiting, new, unknown. */
  other: NumberSchema,
  failures: NumberSchema,
  successRate: NullableNumber,
  avgDurationMs: NullableNumber,
  minDurationMs: NullableNumber,
  maxDurationMs: NullableNumber,
  p50DurationMs: NullableNumber,
  p95DurationMs: NullableNumber,
  p99DurationMs: NullableNumber,
  /** Exact for one workflow; over all workflows, the largest workflow's peak (a lower bound). */
  peakConcurrency: NumberSchema,
  minutesSaved: NumberSchema,
  llmCalls: NumberSchema,
  tokensIn: NumberSchema,
  tokensOut: NumberSchema,
  costUsd: NumberSchema,
});
export type HistoricalRow = z.infer<typeof HistoricalRow>;

/** GET /api/v1/clients/{id}/historical */
export const HistoricalResponse = z.object({
  clientId: NumberSchema,
  period: HistoricalPeriod,
  granularity: GranularitySchema,
  workflowId: NullableNumber,
  start: IsoDateTime,
  end: IsoDateTime,
  /** Only buckets that have a rollup row, oldest first. */
  rows: z.array(HistoricalRow),
});
export type HistoricalResponse = z.infer<typeof HistoricalResponse>;

export const Freshness = z.object({
  /** End of the newest successful sync of the client. */
  lastSyncAt: IsoDateTime.nullable(),
  ageSeconds: NullableNumber,
  /** No successful sync within two collect intervals (never synced counts as stale). */
  stale: z.boolean(),
  lastRunStatus: z.enum(SYNC_STATUSES).nullable(),
});
export type Freshness = z.infer<typeof Freshness>;

/** One client of GET /api/v1/metrics/all, the operator overview. */
export const ClientOverviewRow = z.object({
  clientId: NumberSchema,
  name: z.string(),
  slug: z.string(),
  active: z.boolean(),
  executions: NumberSchema,
  successRate: NullableNumber,
  failures: NumberSchema,
  timeSavedMinutes: NumberSchema,
  /** LLM cost (USD) of the client's workflows in the range; null when it made no LLM calls. */
  llmCostUsd: NullableNumber,
  comparison: z.object({
    executions: Comparison,
    successRate: Comparison,
    failures: Comparison,
    timeSavedMinutes: Comparison,
  }),
  freshness: Freshness,
  /** The client's state at a glance (lib/metrics/client-health.ts); clients come worst first. */
  health: z.object({ state: z.enum(HEALTH_STATES), reason: z.string() }),
  /** Runs and failures per bucket of the range (the range's level), 0 where there were none. */
  trend: z.array(z.object({ bucket: IsoDateTime, executions: NumberSchema, failures: NumberSchema })),
  /** The newest failed production execution, whenever it ran. */
  lastFailure: z
    .object({ executionId: NumberSchema, workflowName: z.string(), startedAt: IsoDateTime.nullable() })
    .nullable(),
});
export type ClientOverviewRow = z.infer<typeof ClientOverviewRow>;

export const AllClientsResponse = z.object({
  period: Period,
  source: GranularitySchema,
  collectIntervalSeconds: NumberSchema,
  clients: z.array(ClientOverviewRow),
});
export type AllClientsResponse = z.infer<typeof AllClientsResponse>;

export const ErrorResponse = z.object({
  error: z.object({
    code: z.enum([
      "bad_request",
      "unauthorized",
      "forbidden",
      "not_found",
      "conflict",
      "database_locked",
      "upstream",
      "internal",
    ]),
    message: z.string(),
  }),
});
