import { apiRoute } from "@/lib/api/handler";
import { alertChannelDelete, alertChannelGet, alertChannelUpdate } from "@/lib/api/contracts/alerts";
import { deleteChannel, getChannelView, updateChannel } from "@/lib/alerts/channels";
import { listDeliveries } from "@/lib/alerts/delivery/deliveries";

export const GET = apiRoute(alertChannelGet, {
  handler: async ({ db, params }) => ({
    channel: await getChannelView(db, params.id),
    deliveries: await listDeliveries(db, { channelId: params.id }),
  }),
});

export const PATCH = apiRoute(alertChannelUpdate, {
  handler: ({ db, params, body }) => updateChannel(db, params.id, body),
});

export const DELETE = apiRoute(alertChannelDelete, {
  handler: async ({ db, params }) => {
    await deleteChannel(db, params.id);
    return { deleted: true };
  },
});
