import { apiRoute } from "@/lib/api/handler";
import { adminTokenRevoke } from "@/lib/api/contracts/accounts";
import { findApiToken, revokeApiToken } from "@/lib/accounts/tokens";

/** Revokes a token (idempotent); the row stays so the list shows when it was revoked. */
export const DELETE = apiRoute(adminTokenRevoke, {
  handler: async ({ db, params }) => {
    await revokeApiToken(db, params.id);
    return { revoked: true, apiToken: await findApiToken(db, params.id) };
  },
});
