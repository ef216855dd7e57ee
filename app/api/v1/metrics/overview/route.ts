import { metricsOverview } from "@/lib/api/contracts/metrics";
import { apiRoute } from "@/lib/api/handler";
import { overviewCsvRows } from "@/lib/metrics/csv-rows";
import { getOverview } from "@/lib/metrics/overview";
import { rangeOf } from "@/lib/metrics/params";

/** Summary cards with comparisons, and a daily trend. CSV: the daily trend. */
export const GET = apiRoute(metricsOverview, {
  name: "overview",
  handler: ({ db, query }) => getOverview(db, { clientId: query.clientId, range: rangeOf(query) }),
  csv: overviewCsvRows,
});
