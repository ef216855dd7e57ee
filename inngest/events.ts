import { eventType } from "inngest";
import { z } from "zod";
import { GRANULARITIES } from "@/lib/core/vocabulary";

/**
 * Every event Flowscope sends or consumes, declared once (noun.verb, past tense). The
 * zod schemas validate payloads at runtime; they must not transform (no defaults),
 * because Inngest requires a schema's input and output types to match.
 */
const ClientId = z.number().int().positive();

/** A run queued by the request that sent the event, so its page can follow it (optional). */
const RunId = z.number().int().positive().optional();

export const clientSyncRequested = eventType("n8n/client.sync.requested", {
  schema: z.object({ clientId: ClientId, runId: RunId }),
});

export const backfillRequested = eventType("rollups/backfill.requested", {
  schema: z.object({
    clientId: ClientId.optional(),
    days: z.number().int().positive().max(3650),
    dryRun: z.boolean().optional(),
    granularities: z.array(z.enum(GRANULARITIES)).min(1).optional(),
    /** Also re-price stored LLM usage with today's price table and overrides. */
    recomputeCosts: z.boolean().optional(),
  }),
});

export const clientRulesChanged = eventType("client/rules.changed", {
  schema: z.object({ clientId: ClientId, runId: RunId }),
});

/** The rollup job started by hand (the scheduler page's "Run now", re-pricing) with its queued run. */
export const rollupRequested = eventType("rollups/refresh.requested", {
  schema: z.object({ runId: RunId }),
});

/** The retention job started by hand (the scheduler page's "Run now") with its queued run. */
export const retentionRequested = eventType("retention/run.requested", {
  schema: z.object({ runId: RunId }),
});

/** Evaluate alert rules now: one client's after its sync (clientId), or all of them. */
export const alertsEvaluationRequested = eventType("alerts/evaluation.requested", {
  schema: z.object({ clientId: ClientId.optional() }),
});
