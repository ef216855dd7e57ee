import { metricsLiveSummary } from "@/lib/api/contracts/metrics";
import { apiRoute } from "@/lib/api/handler";
import { summaryCsvRows } from "@/lib/metrics/csv-rows";
import { getLiveSummary } from "@/lib/metrics/live";
import { rangeOf } from "@/lib/metrics/params";

/** The summary's shape, from raw executions (not cached). */
export const GET = apiRoute(metricsLiveSummary, {
  name: "live-summary",
  handler: ({ db, query }) => getLiveSummary(db, { clientId: query.clientId, range: rangeOf(query) }),
  csv: summaryCsvRows,
});
