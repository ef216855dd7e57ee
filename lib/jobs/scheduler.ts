import { Cron } from "croner";
import { getDb } from "@/lib/db/database";
import { env, inngestConfigured } from "@/lib/core/env";
import { errorMessage } from "@/lib/runs/record";
import { SCHEDULES, SCHEDULE_TIMEZONE, nextRuns, type ScheduleName } from "@/lib/jobs/schedule";
import { evaluateAlertsAfter, evaluateAlertsOnSchedule } from "./alerts-port";

/**
 * Without Inngest, the same jobs run inside the server process on the same cron specs,
 * so the embedded default (PGlite, one process) still collects. Every tick calls the
 * lib/jobs functions, which record their runs just as the Inngest functions do.
 */
export type SchedulerMode = "inngest" | "in-process" | "off";

// Loaded on the first tick: /health reads describeScheduler() and should not pull in the
// whole collect pipeline (n8n client, classifier, rollups) just to report the mode.
const jobs = () => import("@/lib/jobs");

const rollup = async () => {
  const db = await getDb();
  await (await jobs()).runRollupJob(db, { trigger: "cron" });
  evaluateAlertsAfter(db);
};

const JOBS: Record<ScheduleName, () => Promise<void>> = {
  async collect() {
    // syncAllClients isolates clients: one failure is reported, the others still sync.
    const db = await getDb();
    const results = await (await jobs()).syncAllClients(db, { trigger: "cron" });
    for (const r of results.filter((r) => !r.ok)) {
      console.error(`[scheduler] collect: client ${r.clientId} failed: ${r.error ?? "unknown error"}`);
    }
    evaluateAlertsAfter(db);
  },
  // Three crons, one job: each folds in whatever buckets are still dirty.
  rollupDaily: rollup,
  rollupWeekly: rollup,
  rollupMonthly: rollup,
  retention: async () => void (await (await jobs()).runRetentionJob(await getDb(), { trigger: "cron" })),
  alerts: async () => evaluateAlertsOnSchedule(await getDb()),
};

// A global, so a second call (Next dev reloads modules) never starts a second set of timers.
const state = globalThis as unknown as { flowscopeScheduler?: Cron[] };

export function schedulerMode(): SchedulerMode {
  if (inngestConfigured) return "inngest";
  return env.FLOWSCOPE_SCHEDULER === "off" ? "off" : "in-process";
}

/** Starts the in-process scheduler when it is the active mode; returns its stop function. */
export function startInProcessScheduler(): () => void {
  if (schedulerMode() !== "in-process") return () => {};
  if (!state.flowscopeScheduler) {
    state.flowscopeScheduler = (Object.keys(JOBS) as ScheduleName[]).map(
      (name) =>
        new Cron(
          SCHEDULES[name],
          // protect: a tick is skipped while the previous run of the same job still runs.
          { timezone: SCHEDULE_TIMEZONE, protect: true, unref: true },
          async () => {
            try {
              await JOBS[name]();
            } catch (err) {
              // The job already recorded the failure in sync_runs; the next tick retries.
              console.error(`[scheduler] ${name} failed: ${errorMessage(err)}`);
            }
          },
        ),
    );
  }
  return stopInProcessScheduler;
}

export function stopInProcessScheduler(): void {
  for (const job of state.flowscopeScheduler ?? []) job.stop();
  state.flowscopeScheduler = undefined;
}

export interface SchedulerStatus {
  mode: SchedulerMode;
  /** Whether this process runs the timers (in-process mode, after start-up). */
  running: boolean;
  timezone: string;
  jobs: Array<{ name: ScheduleName; cron: string; nextRunAt: string | null }>;
}

/** The mode and next run times, for /health and the scheduler status endpoint. */
export function describeScheduler(now: Date = new Date()): SchedulerStatus {
  const mode = schedulerMode();
  return {
    mode,
    running: Boolean(state.flowscopeScheduler),
    timezone: SCHEDULE_TIMEZONE,
    jobs: (Object.keys(SCHEDULES) as ScheduleName[]).map((name) => {
      const [next] = mode === "off" ? [] : nextRuns(SCHEDULES[name], 1, now);
      return { name, cron: SCHEDULES[name], nextRunAt: next ? next.toISOString() : null };
    }),
  };
}
