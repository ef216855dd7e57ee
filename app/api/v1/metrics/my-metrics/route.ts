import { apiRoute } from "@/lib/api/handler";
import { myMetrics } from "@/lib/api/contracts/accounts";
import { scopedClientId } from "@/lib/accounts/access";
import { overviewCsvRows } from "@/lib/metrics/csv-rows";
import { getMyMetrics } from "@/lib/metrics/my-metrics";
import { rangeOf } from "@/lib/metrics/params";

/** A client's own overview; client users and client tokens may omit clientId. CSV: the daily trend. */
export const GET = apiRoute(myMetrics, {
  name: "my-metrics",
  handler: ({ db, query, viewer }) =>
    getMyMetrics(db, { clientId: scopedClientId(viewer, query.clientId), range: rangeOf(query) }),
  csv: (result) => overviewCsvRows(result.overview),
});
