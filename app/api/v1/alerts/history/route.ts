import { apiRoute } from "@/lib/api/handler";
import { alertHistory } from "@/lib/api/contracts/alerts";
import { alertHistoryRows } from "@/lib/alerts/queries";

/** Every event of the listed alerts, oldest first. */
export const GET = apiRoute(alertHistory, {
  handler: async ({ db, query, viewer }) => ({ events: await alertHistoryRows(db, query, viewer.clientId) }),
  csv: (r) => r.events,
  name: "alert-history",
});
