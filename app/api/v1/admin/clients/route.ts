import { apiRoute } from "@/lib/api/handler";
import { createAdminClient, listAdminClients } from "@/lib/metrics/status/admin-clients";
import { CreateClientBody } from "@/lib/api/contracts/admin-schemas";

/** Every client with its connection (key hint only), rules, counts and last sync. */
export const GET = apiRoute({
  access: "admin",
  handler: async ({ db }) => ({ clients: await listAdminClients(db) }),
});

/** Creates a client; the API key is stored encrypted and never answered. */
export const POST = apiRoute({
  access: "admin",
  body: CreateClientBody,
  status: 201,
  handler: ({ db, body }) => createAdminClient(db, body),
});
