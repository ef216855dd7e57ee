import { apiRoute } from "@/lib/api/handler";
import { tasksRetention } from "@/lib/api/contracts/admin";
import { dispatchRetention } from "@/lib/jobs/dispatch";

/** Starts the retention job now: 202 with the run to poll. */
export const POST = apiRoute(tasksRetention, {
  handler: ({ db }) => dispatchRetention(db),
});
