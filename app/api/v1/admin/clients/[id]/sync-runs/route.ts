import { apiRoute } from "@/lib/api/handler";
import { adminClientSyncRuns } from "@/lib/api/contracts/admin";
import { listClientRuns } from "@/lib/metrics/status/run-view";
import { getClientOrThrow } from "@/lib/clients/queries";

/** The client's sync history, newest first. */
export const GET = apiRoute(adminClientSyncRuns, {
  handler: async ({ db, params, query }) => {
    const clientId = params.id;
    await getClientOrThrow(db, clientId); // an unknown client is a 404, not an empty history
    return { runs: await listClientRuns(db, { clientId, limit: query.limit }) };
  },
});
