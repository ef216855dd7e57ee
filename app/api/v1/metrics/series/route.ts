import { metricsSeries } from "@/lib/api/contracts/metrics";
import { apiRoute } from "@/lib/api/handler";
import { seriesCsvRows } from "@/lib/metrics/csv-rows";
import { rangeOf } from "@/lib/metrics/params";
import { getSeries } from "@/lib/metrics/series";

/** Every bucket of the range from rollups; missing buckets are null. */
export const GET = apiRoute(metricsSeries, {
  name: "series",
  handler: ({ db, query }) =>
    getSeries(db, {
      clientId: query.clientId,
      range: rangeOf(query),
      granularity: query.granularity,
      workflowId: query.workflowId,
    }),
  csv: seriesCsvRows,
});
