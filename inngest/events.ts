import { eventType } from "inngest";
import { z } from "zod";
import { GRANULARITIES } from "@/lib/db/schema";

/**
 * Every event Flowscope sends or consumes, declared once (noun.verb, past tense). The
 * zod schemas validate payloads at runtime; they must not transform (no defaults),
 * because Inngest requires a schema's input and output types to match.
 */
const ClientId = z.number().int().positive();

export const clientSyncRequested = eventType("n8n/client.sync.requested", {
  schema: z.object({ clientId: ClientId }),
});

export const backfillRequested = eventType("rollups/backfill.requested", {
  schema: z.object({
    clientId: ClientId.optional(),
    days: z.number().int().positive().max(3650),
    dryRun: z.boolean().optional(),
    granularities: z.array(z.enum(GRANULARITIES)).min(1).optional(),
  }),
});

export const clientRulesChanged = eventType("client/rules.changed", {
  schema: z.object({ clientId: ClientId }),
});
