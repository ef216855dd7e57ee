import { isoTimeOrNull } from "@/lib/db/database";
import { and, desc, eq, inArray } from "drizzle-orm";
import type { Db } from "@/lib/db/database";
import { syncRuns } from "@/lib/db/schema";
import { type SyncFunction, type SyncTrigger } from "@/lib/core/vocabulary";
import { getHealth } from "@/lib/metrics/status/health";
import type { ScheduleName } from "@/lib/jobs/schedule";
import { toRunSummary } from "./run-view";
import type { JobStatus, RunSummary, SchedulerStatusView } from "./types";

/**
 * Which recorded runs stand for each scheduled job. Collect records no run of its own:
 * it fans out client syncs (trigger cron in-process, event under Inngest). The three
 * rollup crons run one job, so they share its newest run.
 */
const JOB_RUNS: Record<ScheduleName, { function: SyncFunction; triggers: SyncTrigger[] } | null> = {
  collect: { function: "sync-client", triggers: ["cron", "event"] },
  rollupDaily: { function: "rollup", triggers: ["cron", "event"] },
  rollupWeekly: { function: "rollup", triggers: ["cron", "event"] },
  rollupMonthly: { function: "rollup", triggers: ["cron", "event"] },
  retention: { function: "retention", triggers: ["cron", "event"] },
  // Every minute: a run row each would bury the history and bump every client's data
  // version (lib/metrics/cache.ts); each rule keeps its last evaluation instead.
  alerts: null,
};

async function lastScheduledRun(db: Db, job: ScheduleName): Promise<RunSummary | null> {
  const runs = JOB_RUNS[job];
  if (!runs) return null;
  const { function: fn, triggers } = runs;
  const [run] = await db
    .select({
      id: syncRuns.id,
      function: syncRuns.function,
      status: syncRuns.status,
      startedAt: syncRuns.startedAt,
      finishedAt: syncRuns.finishedAt,
      error: syncRuns.error,
    })
    .from(syncRuns)
    .where(and(eq(syncRuns.function, fn), inArray(syncRuns.trigger, triggers)))
    .orderBy(desc(syncRuns.startedAt), desc(syncRuns.id))
    .limit(1);
  return run ? toRunSummary(run) : null;
}

/**
 * The scheduler page and tasks/scheduler-status: the mode, each job's cron with its next
 * and last run, and every active client's freshness (the same rule /health applies).
 */
export async function getSchedulerStatus(db: Db, now: Date = new Date()): Promise<SchedulerStatusView> {
  const health = await getHealth(db, { now });
  const { scheduler } = health;
  const jobs: JobStatus[] = await Promise.all(
    scheduler.jobs.map(async (job) => ({
      name: job.name,
      cron: job.cron,
      nextRunAt: job.nextRunAt,
      function: JOB_RUNS[job.name]?.function ?? null,
      lastRun: await lastScheduledRun(db, job.name),
    })),
  );
  return {
    mode: scheduler.mode,
    running: scheduler.running,
    timezone: scheduler.timezone,
    collectIntervalSeconds: scheduler.collectIntervalSeconds,
    checkedAt: now.toISOString(),
    jobs,
    clients: health.clients.map((c) => ({
      id: c.id,
      name: c.name,
      slug: c.slug,
      lastSuccessAt: isoTimeOrNull(c.lastSuccessAt),
      ageSeconds: c.ageSeconds,
      stale: c.stale,
      lastRunStatus: c.lastRun?.status ?? null,
      lastRunError: c.lastRun?.error ?? null,
    })),
  };
}
