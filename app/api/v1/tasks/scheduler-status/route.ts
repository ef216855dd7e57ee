import { apiRoute } from "@/lib/api/handler";
import { getSchedulerStatus } from "@/lib/admin/scheduler-status";

/** Scheduler mode, each job's cron with next and last run, and per-client freshness. */
export const GET = apiRoute({
  access: "operator",
  handler: ({ db }) => getSchedulerStatus(db),
});
