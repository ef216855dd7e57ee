import { apiRoute, parseId } from "@/lib/api/handler";
import { historicalCsvRows } from "@/lib/metrics/csv-rows";
import { getHistorical } from "@/lib/metrics/historical";
import { HistoricalQuery } from "@/lib/metrics/params";

/** Stored daily, weekly or monthly rollups of a client or one of its workflows. */
export const GET = apiRoute({
  access: "viewer",
  client: (_, params) => parseId(params.id),
  query: HistoricalQuery,
  name: "historical",
  handler: ({ db, query, params }) =>
    getHistorical(db, {
      clientId: parseId(params.id),
      period: query.period,
      workflowId: query.workflowId,
      range: { timeframe: query.timeframe, start: query.start, end: query.end },
    }),
  csv: historicalCsvRows,
});
