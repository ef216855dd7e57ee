import { apiRoute } from "@/lib/api/handler";
import { adminTestConnection } from "@/lib/api/contracts/admin";
import { testNewConnection } from "@/lib/clients/test-connection";

/** Tests a URL and key before a client is created with them; nothing is stored. */
export const POST = apiRoute(adminTestConnection, {
  handler: ({ body }) => testNewConnection(body),
});
