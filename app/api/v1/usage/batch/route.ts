import { apiRoute } from "@/lib/api/handler";
import { ingestUsageBatch } from "@/lib/ingest/llm/ingest";
import { UsageBatchBody } from "@/lib/ingest/llm/ingest-schema";

/** Up to 1000 LLM usage events: valid ones stored together, invalid ones reported by index. */
export const POST = apiRoute({
  access: "ingest",
  body: UsageBatchBody,
  // 1,000 events of a few hundred bytes each.
  maxBodyBytes: 2 * 1024 * 1024,
  perItem: "events",
  handler: ({ db, body, viewer }) => ingestUsageBatch(db, { viewer, items: body.events }),
});
