import { apiRoute } from "@/lib/api/handler";
import { alertSilenceExpire } from "@/lib/api/contracts/alerts";
import { expireSilence } from "@/lib/alerts/silences";

export const DELETE = apiRoute(alertSilenceExpire, {
  handler: async ({ db, params }) => ({ silence: await expireSilence(db, params.id) }),
});
