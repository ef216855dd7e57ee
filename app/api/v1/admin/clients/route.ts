import { apiRoute } from "@/lib/api/handler";
import { adminClientCreate, adminClients } from "@/lib/api/contracts/admin";
import { createAdminClientView, listAdminClientViews } from "@/lib/api/admin-clients";

/** Every client with its connection (key hint only), rules, counts, last sync and time zone. */
export const GET = apiRoute(adminClients, {
  handler: async ({ db }) => ({ clients: await listAdminClientViews(db) }),
});

/** Creates a client, in `timeZone` if given; the API key is stored encrypted and never answered. */
export const POST = apiRoute(adminClientCreate, {
  handler: ({ db, body }) => createAdminClientView(db, body),
});
