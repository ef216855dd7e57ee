import { apiRoute } from "@/lib/api/handler";
import { recentActivityCsvRows } from "@/lib/metrics/csv-rows";
import { RecentActivityQuery } from "@/lib/metrics/params";
import { getRecentActivity } from "@/lib/metrics/recent-activity";

/** The newest production executions. */
export const GET = apiRoute({
  access: "viewer",
  client: (q) => q.clientId,
  query: RecentActivityQuery,
  name: "recent-activity",
  handler: ({ db, query }) => getRecentActivity(db, { clientId: query.clientId, limit: query.limit }),
  csv: recentActivityCsvRows,
});
