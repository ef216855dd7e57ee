import { apiRoute } from "@/lib/api/handler";
import { systemStatus } from "@/lib/api/contracts/system-metrics";
import { getSystemStatus } from "@/lib/api/system-status";

/** Flowscope's state now; nothing stored. */
export const GET = apiRoute(systemStatus, {
  handler: ({ db }) => getSystemStatus(db),
});
