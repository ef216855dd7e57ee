import { apiRoute } from "@/lib/api/handler";
import { adminClient, adminClientUpdate } from "@/lib/api/contracts/admin";
import { getAdminClientView, updateAdminClientView } from "@/lib/api/admin-clients";

export const GET = apiRoute(adminClient, {
  handler: ({ db, params }) => getAdminClientView(db, params.id),
});

/**
 * Changes only the given fields: `active: false` deactivates, `n8nApiKey` replaces the key,
 * a new `timeZone` rebuilds the day, week and month figures (after the other fields are saved).
 */
export const PATCH = apiRoute(adminClientUpdate, {
  handler: ({ db, params, body }) => updateAdminClientView(db, params.id, body),
});
