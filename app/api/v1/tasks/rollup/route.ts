import { apiRoute } from "@/lib/api/handler";
import { tasksRollup } from "@/lib/api/contracts/admin";
import { dispatchRollup } from "@/lib/jobs/dispatch";

/** Starts the rollup job now (what the three rollup crons run): 202 with the run to poll. */
export const POST = apiRoute(tasksRollup, {
  handler: ({ db }) => dispatchRollup(db),
});
