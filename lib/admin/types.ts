/**
 * What the admin API answers, exactly as the browser receives it (dates are ISO strings).
 * Plain types with no server imports, so the admin pages can import them too.
 */
import type { FilterRules } from "@/lib/classify/rules";
import type { N8nErrorKind } from "@/lib/n8n/errors";
import type { PhaseTimings, SyncFunction, SyncStatus, SyncTrigger } from "@/lib/db/schema";

export type { FilterRules };

/** A client as the admin console shows it: never the API key, only its last characters. */
export interface AdminClient {
  id: number;
  name: string;
  slug: string;
  n8nBaseUrl: string;
  /** "••••abcd"; null when no hint was stored (keys from before hints existed). */
  apiKeyHint: string | null;
  active: boolean;
  concurrencyLimit: number;
  defaultMinutesSaved: number;
  filterRules: FilterRules;
  counts: { workflows: number; executions: number; productionExecutions: number };
  /** finishedAt of the newest successful sync. */
  lastSyncAt: string | null;
  lastRun: RunSummary | null;
  createdAt: string;
  updatedAt: string;
}

export interface RunSummary {
  id: number;
  function: SyncFunction;
  status: SyncStatus;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
}

/** One sync run, as tasks/status and the sync history show it. */
export interface RunView extends RunSummary {
  trigger: SyncTrigger;
  clientId: number | null;
  clientName: string | null;
  durationMs: number | null;
  counts: {
    pages: number;
    workflowsSeen: number;
    executionsSeen: number;
    executionsNew: number;
    executionsUpdated: number;
    executionsExcluded: number;
  };
  phaseMs: PhaseTimings;
  details: Record<string, unknown> | null;
}

export type ConnectionTest =
  | {
      ok: true;
      baseUrl: string;
      workflows: number;
      /** Up to the cap; `executionsCapped` says n8n holds more. */
      executions: number;
      executionsCapped: boolean;
      ms: number;
    }
  | {
      ok: false;
      baseUrl: string;
      /** `title` is the short verdict ("n8n refused the API key"), `message` the detail and the fix. */
      /** unreadable_key: the stored key was encrypted under another FLOWSCOPE_ENCRYPTION_KEY. */
      error: { kind: N8nErrorKind | "unreadable_key"; title: string; message: string };
      ms: number;
    };

export interface ReasonCount {
  /** `manual`, `tag:dev`, `pattern:<p>`, `test-name:<word>`. */
  reason: string;
  executions: number;
  /** Stored workflows whose non-manual runs would be excluded for this reason. */
  workflows: number;
}

export interface WorkflowChange {
  workflowId: number;
  name: string;
  /** The reason its non-manual runs would be excluded under the new rules; null = production. */
  reason: string | null;
  newlyExcluded: number;
  newlyIncluded: number;
}

/** What a set of rules would do to the stored history, compared with what is stored now. */
export interface RulesPreview {
  rules: FilterRules;
  workflows: { total: number; excluded: number; currentlyExcluded: number };
  executions: {
    total: number;
    excluded: number;
    included: number;
    currentlyExcluded: number;
    newlyExcluded: number;
    newlyIncluded: number;
  };
  /** Exclusions under the new rules, by reason, most executions first. */
  reasons: ReasonCount[];
  /** Workflows whose stored executions would change class, most changes first. */
  changes: WorkflowChange[];
  /** How many workflows change in all (`changes` holds at most 50). */
  changedWorkflows: number;
}

export interface JobStatus {
  name: string;
  cron: string;
  nextRunAt: string | null;
  /** The sync-run function this job records. */
  function: SyncFunction;
  lastRun: RunSummary | null;
}

export interface ClientFreshness {
  id: number;
  name: string;
  slug: string;
  lastSuccessAt: string | null;
  ageSeconds: number | null;
  stale: boolean;
  lastRunStatus: SyncStatus | null;
  lastRunError: string | null;
}

export interface SchedulerStatusView {
  mode: "inngest" | "in-process" | "off";
  /** Whether this process runs the in-process timers. */
  running: boolean;
  timezone: string;
  collectIntervalSeconds: number;
  checkedAt: string;
  jobs: JobStatus[];
  clients: ClientFreshness[];
}
