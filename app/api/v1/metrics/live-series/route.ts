import { metricsLiveSeries } from "@/lib/api/contracts/metrics";
import { apiRoute } from "@/lib/api/handler";
import { seriesCsvRows } from "@/lib/metrics/csv-rows";
import { getLiveSeries } from "@/lib/metrics/live";
import { rangeOf } from "@/lib/metrics/params";

/** The series' shape, from raw executions (not cached). */
export const GET = apiRoute(metricsLiveSeries, {
  name: "live-series",
  handler: ({ db, query }) =>
    getLiveSeries(db, { clientId: query.clientId, range: rangeOf(query), granularity: query.granularity }),
  csv: seriesCsvRows,
});
