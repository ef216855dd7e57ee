import { metricsRecentActivity } from "@/lib/api/contracts/metrics";
import { apiRoute } from "@/lib/api/handler";
import { recentActivityCsvRows } from "@/lib/metrics/csv-rows";
import { getRecentActivity } from "@/lib/metrics/recent-activity";

/** The newest production executions. */
export const GET = apiRoute(metricsRecentActivity, {
  name: "recent-activity",
  handler: ({ db, query }) => getRecentActivity(db, { clientId: query.clientId, limit: query.limit }),
  csv: recentActivityCsvRows,
});
