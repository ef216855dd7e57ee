import { apiRoute } from "@/lib/api/handler";
import { tasksSyncClient } from "@/lib/api/contracts/admin";
import { dispatchSync } from "@/lib/jobs/dispatch";

/** Starts a sync of one client now: 202 with the run to poll at tasks/status/{runId}. */
export const POST = apiRoute(tasksSyncClient, {
  handler: ({ db, params }) => dispatchSync(db, params.id),
});
