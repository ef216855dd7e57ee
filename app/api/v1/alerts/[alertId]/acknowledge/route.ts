import { apiRoute } from "@/lib/api/handler";
import { alertAcknowledge } from "@/lib/api/contracts/alerts";
import { acknowledgeAlert } from "@/lib/alerts/queries";

/** Stops reminders of an open alert until it resolves. */
export const POST = apiRoute(alertAcknowledge, {
  handler: ({ db, params, viewer }) => acknowledgeAlert(db, params.alertId, viewer.email ?? viewer.name),
});
