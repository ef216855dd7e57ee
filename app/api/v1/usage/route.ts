import { apiRoute } from "@/lib/api/handler";
import { clientNotFound } from "@/lib/auth/access";
import { storeUsageEvents } from "@/lib/llm/ingest";
import { UsageEvent, type UsageIngestResult } from "@/lib/llm/ingest-schema";

/** One LLM usage event (a client token only for its own client); a retry counts once. */
export const POST = apiRoute({
  access: "ingest",
  body: UsageEvent,
  handler: async ({ db, body, viewer }): Promise<UsageIngestResult> => {
    const stored = await storeUsageEvents(db, { viewer, events: [{ index: 0, event: body }] });
    if (stored.errors.length > 0) throw clientNotFound(body.clientId);
    const [row] = stored.rows;
    return {
      accepted: stored.accepted,
      duplicates: stored.duplicates,
      idempotencyKey: row.idempotencyKey.replace(/^ingest:/, ""),
      costUsd: row.costMicroUsd === null ? null : row.costMicroUsd / 1_000_000,
    };
  },
});
