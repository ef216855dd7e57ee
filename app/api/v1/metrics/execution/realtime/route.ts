import { executionRealtime } from "@/lib/api/contracts/metrics";
import { apiRoute } from "@/lib/api/handler";
import { getRealtimeMetrics, toExecutionQuery } from "@/lib/metrics/execution";

/** GET /api/v1/metrics/execution/realtime: running, waiting and queued now (RealtimeMetrics). */
export const GET = apiRoute(executionRealtime, {
  handler: ({ db, query }) => getRealtimeMetrics(db, toExecutionQuery(query)),
});
