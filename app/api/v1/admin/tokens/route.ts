import { apiRoute } from "@/lib/api/handler";
import { ApiTokenInput, createApiToken, listApiTokens } from "@/lib/accounts/tokens";

/** Every API token, revoked ones included; never the token or its hash. */
export const GET = apiRoute({
  access: "admin",
  handler: async ({ db }) => ({ tokens: await listApiTokens(db) }),
});

/** Creates a token (global, or scoped to one client); the answer is the only time it is shown. */
export const POST = apiRoute({
  access: "admin",
  body: ApiTokenInput,
  status: 201,
  handler: ({ db, body, viewer }) => createApiToken(db, body, viewer.userId),
});
