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
} as const;

export type ScheduleName = keyof typeof SCHEDULES;

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
