import { apiRoute, parseId } from "@/lib/api/handler";
import { getRunView } from "@/lib/metrics/status/run-view";

/** One run's status and counts; pages poll it while the run is queued or running. */
export const GET = apiRoute({
  access: "operator",
  handler: ({ db, params }) => getRunView(db, parseId(params.runId, "runId")),
});
