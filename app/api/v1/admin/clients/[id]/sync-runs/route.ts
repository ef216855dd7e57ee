import { apiRoute, parseId } from "@/lib/api/handler";
import { listClientRuns } from "@/lib/metrics/status/run-view";
import { SyncRunsQuery } from "@/lib/api/contracts/admin-schemas";
import { getClientOrThrow } from "@/lib/clients/queries";

/** The client's sync history, newest first. */
export const GET = apiRoute({
  access: "admin",
  query: SyncRunsQuery,
  handler: async ({ db, params, query }) => {
    const clientId = parseId(params.id);
    await getClientOrThrow(db, clientId); // an unknown client is a 404, not an empty history
    return { runs: await listClientRuns(db, { clientId, limit: query.limit }) };
  },
});
