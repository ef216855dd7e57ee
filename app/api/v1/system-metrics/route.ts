import { apiRoute } from "@/lib/api/handler";
import { systemMetricsIngest, systemMetricsList } from "@/lib/api/contracts/system-metrics";
import { queryMetricPoints } from "@/lib/telemetry/query";
import { ingestMetric } from "@/lib/telemetry/ingest";

/** Points newest first, or window buckets; a page at a time. */
export const GET = apiRoute(systemMetricsList, {
  handler: ({ db, query }) => queryMetricPoints(db, query),
  csv: (result) => result.data.map((row) => ({ ...row })),
  name: (query) => (query.window ? `system-metrics-${query.window}` : "system-metrics"),
});

/** One point (an admin session or a global token). */
export const POST = apiRoute(systemMetricsIngest, {
  handler: ({ db, body }) => ingestMetric(db, body),
});
