import { apiRoute } from "@/lib/api/handler";
import { summaryCsvRows } from "@/lib/metrics/csv-rows";
import { getLiveSummary } from "@/lib/metrics/live";
import { ClientRangeQuery, rangeOf } from "@/lib/metrics/params";

/** The summary's shape, from raw executions (not cached). */
export const GET = apiRoute({
  access: "viewer",
  client: (q) => q.clientId,
  query: ClientRangeQuery,
  name: "live-summary",
  handler: ({ db, query }) => getLiveSummary(db, { clientId: query.clientId, range: rangeOf(query) }),
  csv: summaryCsvRows,
});
