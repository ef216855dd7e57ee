import { apiRoute } from "@/lib/api/handler";
import { usageIngest } from "@/lib/api/contracts/llm";
import { ingestUsageEvent } from "@/lib/ingest/llm/ingest";

/** One LLM usage event (a client token only for its own client); a retry counts once. */
export const POST = apiRoute(usageIngest, {
  handler: ({ db, body, viewer }) => ingestUsageEvent(db, { viewer, event: body }),
});
