import { metricsExecutions } from "@/lib/api/contracts/metrics";
import { apiRoute } from "@/lib/api/handler";
import { explorerCsvRows } from "@/lib/metrics/csv-rows";
import { listExecutions } from "@/lib/metrics/explorer";
import { EXPORT_LIMIT } from "@/lib/metrics/explorer-params";

/** The executions explorer's list; a CSV export takes up to EXPORT_LIMIT rows instead of one page. */
export const GET = apiRoute(metricsExecutions, {
  name: "executions",
  handler: ({ db, query, request }) =>
    listExecutions(db, {
      ...query,
      limit: new URL(request.url).searchParams.get("format") === "csv" ? EXPORT_LIMIT : query.limit,
    }),
  csv: explorerCsvRows,
});
