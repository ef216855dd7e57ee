import { apiRoute } from "@/lib/api/handler";
import { alertCount } from "@/lib/api/contracts/alerts";
import { firingCount } from "@/lib/alerts/queries";

/** The header bell: firing alerts the caller may see. */
export const GET = apiRoute(alertCount, {
  handler: async ({ db, viewer }) => ({ firing: await firingCount(db, viewer.clientId) }),
});
