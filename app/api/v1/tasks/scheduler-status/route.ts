import { apiRoute } from "@/lib/api/handler";
import { tasksSchedulerStatus } from "@/lib/api/contracts/admin";
import { getSchedulerView } from "@/lib/api/scheduler-view";
import { failExpiredRuns } from "@/lib/runs/lease";

/** Scheduler mode, each job in words with its next run, last run and last failure, and per-client freshness. */
export const GET = apiRoute(tasksSchedulerStatus, {
  handler: async ({ db }) => {
    // Last runs whose process died show as failed, not as running forever.
    await failExpiredRuns(db);
    return getSchedulerView(db);
  },
});
