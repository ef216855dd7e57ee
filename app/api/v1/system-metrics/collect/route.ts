import { apiRoute } from "@/lib/api/handler";
import { systemMetricsCollect } from "@/lib/api/contracts/system-metrics";
import { collectResourcesNow } from "@/lib/telemetry/resources";

/** Samples the resources now and stores them. */
export const POST = apiRoute(systemMetricsCollect, {
  handler: async ({ db }) => ({ data: await collectResourcesNow(db) }),
});
