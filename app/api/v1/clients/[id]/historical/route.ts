import { clientHistorical } from "@/lib/api/contracts/metrics";
import { apiRoute } from "@/lib/api/handler";
import { historicalCsvRows } from "@/lib/metrics/csv-rows";
import { getHistorical } from "@/lib/metrics/historical";

/** Stored daily, weekly or monthly rollups of a client or one of its workflows. */
export const GET = apiRoute(clientHistorical, {
  name: "historical",
  handler: ({ db, query, params }) =>
    getHistorical(db, {
      clientId: params.id,
      period: query.period,
      workflowId: query.workflowId,
      range: { timeframe: query.timeframe, start: query.start, end: query.end },
    }),
  csv: historicalCsvRows,
});
