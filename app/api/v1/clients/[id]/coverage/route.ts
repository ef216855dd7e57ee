import { apiRoute, parseId } from "@/lib/api/handler";
import { getCoverage } from "@/lib/metrics/coverage";
import { RangeQuery, rangeOf } from "@/lib/metrics/params";

/** How much of the client's n8n history is held, and what is known to be missing. */
export const GET = apiRoute({
  access: "viewer",
  client: (_, params) => parseId(params.id),
  query: RangeQuery,
  name: "coverage",
  handler: ({ db, query, params }) => getCoverage(db, { clientId: parseId(params.id), range: rangeOf(query) }),
});
