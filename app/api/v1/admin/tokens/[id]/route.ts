import { apiRoute, parseId } from "@/lib/api/handler";
import { findApiToken, revokeApiToken } from "@/lib/accounts/tokens";

/** Revokes a token (idempotent); the row stays so the list shows when it was revoked. */
export const DELETE = apiRoute({
  access: "admin",
  handler: async ({ db, params }) => {
    const id = parseId(params.id);
    await revokeApiToken(db, id);
    return { revoked: true, apiToken: await findApiToken(db, id) };
  },
});
