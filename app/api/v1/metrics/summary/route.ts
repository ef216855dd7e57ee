import { metricsSummary } from "@/lib/api/contracts/metrics";
import { apiRoute } from "@/lib/api/handler";
import { summaryCsvRows } from "@/lib/metrics/csv-rows";
import { rangeOf } from "@/lib/metrics/params";
import { getSummary } from "@/lib/metrics/summary";

/** Every metric over the range, from rollups. */
export const GET = apiRoute(metricsSummary, {
  name: "summary",
  handler: ({ db, query }) => getSummary(db, { clientId: query.clientId, range: rangeOf(query) }),
  csv: summaryCsvRows,
});
