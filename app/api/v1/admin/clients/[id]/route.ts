import { apiRoute, parseId } from "@/lib/api/handler";
import { getAdminClient, updateAdminClient } from "@/lib/metrics/status/admin-clients";
import { UpdateClientBody } from "@/lib/api/contracts/admin-schemas";

export const GET = apiRoute({
  access: "admin",
  handler: ({ db, params }) => getAdminClient(db, parseId(params.id)),
});

/** Changes only the given fields: `active: false` deactivates, `n8nApiKey` replaces the key. */
export const PATCH = apiRoute({
  access: "admin",
  body: UpdateClientBody,
  handler: ({ db, params, body }) => updateAdminClient(db, parseId(params.id), body),
});
