import { apiRoute } from "@/lib/api/handler";
import { systemMetricsBatch } from "@/lib/api/contracts/system-metrics";
import { ingestMetricBatch } from "@/lib/telemetry/ingest";

/** Up to 1000 points: valid ones stored together, invalid ones reported by index. */
export const POST = apiRoute(systemMetricsBatch, {
  handler: ({ db, body }) => ingestMetricBatch(db, body.metrics),
});
