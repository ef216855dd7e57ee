import { clientCoverage } from "@/lib/api/contracts/metrics";
import { apiRoute } from "@/lib/api/handler";
import { getCoverage } from "@/lib/metrics/coverage";
import { rangeOf } from "@/lib/metrics/params";

/** How much of the client's n8n history is held, and what is known to be missing. */
export const GET = apiRoute(clientCoverage, {
  name: "coverage",
  handler: ({ db, query, params }) => getCoverage(db, { clientId: params.id, range: rangeOf(query) }),
});
