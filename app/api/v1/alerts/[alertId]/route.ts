import { apiRoute } from "@/lib/api/handler";
import { alertGet } from "@/lib/api/contracts/alerts";
import { getAlert } from "@/lib/alerts/queries";
import { listDeliveries } from "@/lib/alerts/delivery/deliveries";

/** One alert with its history; operators also see where it was sent and how each attempt went. */
export const GET = apiRoute(alertGet, {
  handler: async ({ db, params, viewer }) => {
    const alert = await getAlert(db, params.alertId, viewer.clientId);
    const deliveries = viewer.role === "client" ? null : await listDeliveries(db, { alertId: params.alertId });
    return { ...alert, deliveries };
  },
});
