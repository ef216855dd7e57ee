import { apiRoute, parseId } from "@/lib/api/handler";
import { dispatchSync } from "@/lib/jobs/dispatch";

/** Starts a sync of one client now: 202 with the run to poll at tasks/status/{runId}. */
export const POST = apiRoute({
  access: "admin",
  status: 202,
  handler: ({ db, params }) => dispatchSync(db, parseId(params.id)),
});
