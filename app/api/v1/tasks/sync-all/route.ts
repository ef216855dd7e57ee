import { apiRoute } from "@/lib/api/handler";
import { tasksSyncAll } from "@/lib/api/contracts/admin";
import { dispatchSyncAll } from "@/lib/jobs/dispatch";

/** Starts a sync of every active client: 202 with one run per client. */
export const POST = apiRoute(tasksSyncAll, {
  handler: ({ db }) => dispatchSyncAll(db),
});
