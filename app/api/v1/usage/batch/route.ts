import { apiRoute } from "@/lib/api/handler";
import { usageIngestBatch } from "@/lib/api/contracts/llm";
import { ingestUsageBatch } from "@/lib/ingest/llm/ingest";

/** Up to 1000 LLM usage events: valid ones stored together, invalid ones reported by index. */
export const POST = apiRoute(usageIngestBatch, {
  handler: ({ db, body, viewer }) => ingestUsageBatch(db, { viewer, items: body.events }),
});
