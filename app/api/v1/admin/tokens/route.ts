import { apiRoute } from "@/lib/api/handler";
import { adminTokenCreate, adminTokens } from "@/lib/api/contracts/accounts";
import { createApiToken, listApiTokens } from "@/lib/accounts/tokens";

/** Every API token, revoked ones included; never the token or its hash. */
export const GET = apiRoute(adminTokens, {
  handler: async ({ db }) => ({ tokens: await listApiTokens(db) }),
});

/** Creates a token (global, or scoped to one client); the answer is the only time it is shown. */
export const POST = apiRoute(adminTokenCreate, {
  handler: ({ db, body, viewer }) => createApiToken(db, body, viewer.userId),
});
