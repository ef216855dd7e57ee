/**
 * What the scheduler page and tasks/scheduler-status answer: lib/metrics' scheduler
 * status, with each job in words, its last failure, and the endpoint that runs it now.
 */
import { and, desc, eq, inArray } from "drizzle-orm";
import type { Db } from "@/lib/db/database";
import { clients, syncRuns } from "@/lib/db/schema";
import type { SyncFunction, SyncTrigger } from "@/lib/core/vocabulary";
import { SCHEDULE_LABELS, type ScheduleName } from "@/lib/jobs/schedule";
import { getSchedulerStatus } from "@/lib/metrics/status/scheduler-status";
import type { JobStatus, SchedulerStatusView } from "@/lib/metrics/status/types";

/** A scheduled job's newest failed run: when, why, and for which client (collect fails per client). */
export interface JobFailure {
  runId: number;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
  clientId: number | null;
  clientName: string | null;
}

export interface SchedulerJobView extends JobStatus {
  name: ScheduleName;
  /** e.g. "Daily rollup". */
  label: string;
  description: string;
  /** POST here (admins) to run the job now; answers 202 with the run or runs to follow. Null: no Run now. */
  runNowPath: string | null;
  lastFailure: JobFailure | null;
}

export interface SchedulerView extends Omit<SchedulerStatusView, "jobs"> {
  jobs: SchedulerJobView[];
}

/** The trigger endpoint of each job; the three rollup crons run one job. */
const RUN_NOW_PATHS: Record<ScheduleName, string | null> = {
  collect: "/api/v1/tasks/sync-all",
  rollupDaily: "/api/v1/tasks/rollup",
  rollupWeekly: "/api/v1/tasks/rollup",
  rollupMonthly: "/api/v1/tasks/rollup",
  retention: "/api/v1/tasks/retention",
  // It runs every minute and records no run to follow.
  alerts: null,
};

/**
 * The triggers of scheduled runs, as lib/metrics/status/scheduler-status.ts counts a
 * job's last run (cron in-process, event under Inngest): a failure of the job, not of
 * someone's "Sync now".
 */
const SCHEDULED_TRIGGERS: SyncTrigger[] = ["cron", "event"];

async function lastFailure(db: Db, fn: SyncFunction): Promise<JobFailure | null> {
  const [row] = await db
    .select({
      runId: syncRuns.id,
      startedAt: syncRuns.startedAt,
      finishedAt: syncRuns.finishedAt,
      error: syncRuns.error,
      clientId: syncRuns.clientId,
      clientName: clients.name,
    })
    .from(syncRuns)
    .leftJoin(clients, eq(clients.id, syncRuns.clientId))
    .where(and(eq(syncRuns.function, fn), eq(syncRuns.status, "error"), inArray(syncRuns.trigger, SCHEDULED_TRIGGERS)))
    .orderBy(desc(syncRuns.startedAt), desc(syncRuns.id))
    .limit(1);
  if (!row) return null;
  return { ...row, startedAt: row.startedAt.toISOString(), finishedAt: row.finishedAt?.toISOString() ?? null };
}

export async function getSchedulerView(db: Db, now: Date = new Date()): Promise<SchedulerView> {
  const status = await getSchedulerStatus(db, now);
  const functions = [...new Set(status.jobs.flatMap((j) => (j.function ? [j.function] : [])))];
  const failures = new Map(await Promise.all(functions.map(async (fn) => [fn, await lastFailure(db, fn)] as const)));
  return {
    ...status,
    jobs: status.jobs.map((job) => {
      const name = job.name as ScheduleName;
      return {
        ...job,
        name,
        ...SCHEDULE_LABELS[name],
        runNowPath: RUN_NOW_PATHS[name],
        lastFailure: (job.function && failures.get(job.function)) ?? null,
      };
    }),
  };
}
