import { apiRoute } from "@/lib/api/handler";
import { alertChannelTest } from "@/lib/api/contracts/alerts";
import { sendTestNotification } from "@/lib/alerts/delivery/queue";

export const POST = apiRoute(alertChannelTest, {
  handler: ({ db, params }) => sendTestNotification(db, params.id),
});
