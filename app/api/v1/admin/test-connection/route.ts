import { apiRoute } from "@/lib/api/handler";
import { TestConnectionBody } from "@/lib/api/contracts/admin-schemas";
import { testNewConnection } from "@/lib/clients/test-connection";

/** Tests a URL and key before a client is created with them; nothing is stored. */
export const POST = apiRoute({
  access: "admin",
  body: TestConnectionBody,
  handler: ({ body }) => testNewConnection(body),
});
