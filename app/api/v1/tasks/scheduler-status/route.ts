import { apiRoute } from "@/lib/api/handler";
import { tasksSchedulerStatus } from "@/lib/api/contracts/admin";
import { getSchedulerStatus } from "@/lib/metrics/status/scheduler-status";
import { failExpiredRuns } from "@/lib/runs/lease";

/** Scheduler mode, each job's cron with next and last run, and per-client freshness. */
export const GET = apiRoute(tasksSchedulerStatus, {
  handler: async ({ db }) => {
    // Last runs whose process died show as failed, not as running forever.
    await failExpiredRuns(db);
    return getSchedulerStatus(db);
  },
});
