import { apiRoute } from "@/lib/api/handler";
import { adminClientTestConnection } from "@/lib/api/contracts/admin";
import { testClientConnection } from "@/lib/clients/test-connection";

/** Reads the client's n8n with its stored key: 200 with ok:false when n8n fails. */
export const POST = apiRoute(adminClientTestConnection, {
  handler: ({ db, params }) => testClientConnection(db, params.id),
});
