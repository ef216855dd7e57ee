import { apiRoute } from "@/lib/api/handler";
import { alertsEvaluate } from "@/lib/api/contracts/alerts";
import { runAlertsJob } from "@/lib/alerts/jobs";

/** The every-minute alerts job, now. */
export const POST = apiRoute(alertsEvaluate, {
  handler: ({ db }) => runAlertsJob(db, { trigger: "manual" }),
});
