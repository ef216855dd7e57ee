import { apiRoute, parseId } from "@/lib/api/handler";
import { testClientConnection } from "@/lib/clients/test-connection";

/** Reads the client's n8n with its stored key: 200 with ok:false when n8n fails. */
export const POST = apiRoute({
  access: "admin",
  handler: ({ db, params }) => testClientConnection(db, parseId(params.id)),
});
