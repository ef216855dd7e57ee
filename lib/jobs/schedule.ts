import { Cron } from "croner";
import { env } from "@/lib/core/env";

/**
 * Every cron spec in one place. Inngest (inngest/functions) and the in-process
 * scheduler (lib/jobs/scheduler.ts) both read these, so the two modes can never
 * drift apart. All specs are UTC; rollup buckets are UTC too.
 */
export const SCHEDULES = {
  collect: env.COLLECT_CRON,
  rollupDaily: "0 2 * * *",
  rollupWeekly: "0 3 * * 0",
  rollupMonthly: "0 4 1 * *",
  retention: "0 1 * * *",
  // Time alone changes some conditions (silence, stuck runs, stale data, missed schedules).
  alerts: "* * * * *",
} as const;

export type ScheduleName = keyof typeof SCHEDULES;

/** Each scheduled job in words, for the scheduler page; the types refuse a job without one. */
export const SCHEDULE_LABELS: Record<ScheduleName, { label: string; description: string }> = {
  collect: {
    label: "Collect executions",
    description: "Syncs every active client from its n8n: new and changed executions, then their rollups.",
  },
  rollupDaily: {
    label: "Daily rollup",
    description: "Folds in any buckets a sync left out of date, for every client (the daily safety net).",
  },
  rollupWeekly: {
    label: "Weekly rollup",
    description: "The same rollup job, on Sundays, before weekly figures are read.",
  },
  rollupMonthly: {
    label: "Monthly rollup",
    description: "The same rollup job, on the first of the month, before monthly figures are read.",
  },
  retention: {
    label: "Retention",
    description: "Deletes raw executions and fine rollups past their retention, keeping what they counted.",
  },
  alerts: {
    label: "Evaluate alerts",
    description:
      "Evaluates every enabled alert rule and delivers due notifications (each sync also evaluates its client's rules).",
  },
};

export const SCHEDULE_TIMEZONE = "UTC";

/** The spec as Inngest wants it: the zone is spelled out rather than left to a default. */
export function inngestCron(spec: string): string {
  return `TZ=${SCHEDULE_TIMEZONE} ${spec}`;
}

/** The next `count` run times of a spec (a job-less Cron never schedules anything). */
export function nextRuns(spec: string, count: number, from: Date = new Date()): Date[] {
  return new Cron(spec, { timezone: SCHEDULE_TIMEZONE }).nextRuns(count, from);
}

/**
 * The collect interval in seconds: the gap between the next two runs of COLLECT_CRON.
 * Freshness ("stale" after two missed collects) is measured against it.
 */
export function collectIntervalSeconds(from: Date = new Date()): number {
  const [a, b] = nextRuns(SCHEDULES.collect, 2, from);
  if (!a || !b) return 15 * 60;
  return Math.round((b.getTime() - a.getTime()) / 1000);
}
