import { apiRoute } from "@/lib/api/handler";
import { systemMetricsGet } from "@/lib/api/contracts/system-metrics";
import { readMetric } from "@/lib/telemetry/ingest";

/** One stored point; 404 when there is none. */
export const GET = apiRoute(systemMetricsGet, {
  handler: ({ db, params }) => readMetric(db, params.id),
});
