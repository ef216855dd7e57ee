import { metricsErrors } from "@/lib/api/contracts/metrics";
import { apiRoute } from "@/lib/api/handler";
import { topErrorsCsvRows } from "@/lib/metrics/csv-rows";
import { getTopErrors } from "@/lib/metrics/errors";
import { rangeOf } from "@/lib/metrics/params";

/** A client's top errors over the range. */
export const GET = apiRoute(metricsErrors, {
  name: "errors",
  handler: ({ db, query }) =>
    getTopErrors(db, {
      clientId: query.clientId,
      range: rangeOf(query),
      workflowId: query.workflowId,
      limit: query.limit,
    }),
  csv: topErrorsCsvRows,
});
