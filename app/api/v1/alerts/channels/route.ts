import { apiRoute } from "@/lib/api/handler";
import { alertChannelCreate, alertChannels } from "@/lib/api/contracts/alerts";
import { createChannel, listChannels } from "@/lib/alerts/channels";

export const GET = apiRoute(alertChannels, {
  handler: async ({ db }) => ({ channels: await listChannels(db) }),
});

/** The answer is the only time a generated signing secret is shown. */
export const POST = apiRoute(alertChannelCreate, {
  handler: ({ db, body }) => createChannel(db, body),
});
