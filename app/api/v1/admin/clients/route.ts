import { apiRoute } from "@/lib/api/handler";
import { adminClientCreate, adminClients } from "@/lib/api/contracts/admin";
import { createAdminClient, listAdminClients } from "@/lib/metrics/status/admin-clients";

/** Every client with its connection (key hint only), rules, counts and last sync. */
export const GET = apiRoute(adminClients, {
  handler: async ({ db }) => ({ clients: await listAdminClients(db) }),
});

/** Creates a client; the API key is stored encrypted and never answered. */
export const POST = apiRoute(adminClientCreate, {
  handler: ({ db, body }) => createAdminClient(db, body),
});
