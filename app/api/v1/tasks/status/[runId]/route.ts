import { apiRoute } from "@/lib/api/handler";
import { tasksRunStatus } from "@/lib/api/contracts/admin";
import { getRunView } from "@/lib/metrics/status/run-view";

/** One run's status and counts; pages poll it while the run is queued or running. */
export const GET = apiRoute(tasksRunStatus, {
  handler: ({ db, params }) => getRunView(db, params.runId),
});
