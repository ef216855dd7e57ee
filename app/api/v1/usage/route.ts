import { apiRoute } from "@/lib/api/handler";
import { ingestUsageEvent } from "@/lib/ingest/llm/ingest";
import { UsageEvent } from "@/lib/ingest/llm/ingest-schema";

/** One LLM usage event (a client token only for its own client); a retry counts once. */
export const POST = apiRoute({
  access: "ingest",
  body: UsageEvent,
  handler: ({ db, body, viewer }) => ingestUsageEvent(db, { viewer, event: body }),
});
