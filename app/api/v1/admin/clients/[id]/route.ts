import { apiRoute } from "@/lib/api/handler";
import { adminClient, adminClientUpdate } from "@/lib/api/contracts/admin";
import { getAdminClient, updateAdminClient } from "@/lib/metrics/status/admin-clients";

export const GET = apiRoute(adminClient, {
  handler: ({ db, params }) => getAdminClient(db, params.id),
});

/** Changes only the given fields: `active: false` deactivates, `n8nApiKey` replaces the key. */
export const PATCH = apiRoute(adminClientUpdate, {
  handler: ({ db, params, body }) => updateAdminClient(db, params.id, body),
});
