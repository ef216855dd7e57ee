import { apiRoute } from "@/lib/api/handler";
import { dispatchSyncAll } from "@/lib/jobs/dispatch";

/** Starts a sync of every active client: 202 with one run per client. */
export const POST = apiRoute({
  access: "admin",
  status: 202,
  handler: ({ db }) => dispatchSyncAll(db),
});
