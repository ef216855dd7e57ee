import { apiRoute } from "@/lib/api/handler";
import { summaryCsvRows } from "@/lib/metrics/csv-rows";
import { ClientRangeQuery, rangeOf } from "@/lib/metrics/params";
import { getSummary } from "@/lib/metrics/summary";

/** Every metric over the range, from rollups. */
export const GET = apiRoute({
  access: "viewer",
  client: (q) => q.clientId,
  query: ClientRangeQuery,
  name: "summary",
  handler: ({ db, query }) => getSummary(db, { clientId: query.clientId, range: rangeOf(query) }),
  csv: summaryCsvRows,
});
