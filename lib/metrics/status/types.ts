/**
 * What the admin API answers, exactly as the browser receives it (dates are ISO strings).
 * Plain types with no server imports, so the admin pages can import them too.
 */
import type { FilterRules } from "@/lib/clients/rules";
import type { PhaseTimings, SyncFunction, SyncStatus, SyncTrigger } from "@/lib/core/vocabulary";

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
  /** IANA zone of the client's day, week and month figures and of its pages. */
  timeZone: string;
  /** Where the current zone's day, week and month buckets begin (ISO); null: all of them. */
  timeZoneFrom: string | null;
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

export interface JobStatus {
  name: string;
  cron: string;
  nextRunAt: string | null;
  /** The sync-run function this job records; null for alert evaluation, which records none (it runs every minute). */
  function: SyncFunction | null;
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
