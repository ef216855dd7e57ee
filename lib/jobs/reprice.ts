import { z } from "zod";
import type { Db } from "@/lib/db/database";
import { recomputeUsageCosts } from "@/lib/ingest/llm/recompute";
import { dispatchRollup, jobSender } from "./dispatch";

export const RepriceResult = z.object({
  /** Stored calls whose cost comes from pricing (costs given by an ingest caller are kept). */
  repriced: z.number().int(),
  /** Of those, calls whose cost or price source changed. */
  changed: z.number().int(),
  /** The rollup run that carries the new costs into the dashboards; null when nothing changed. */
  rollupRunId: z.number().int().nullable(),
});
export type RepriceResult = z.infer<typeof RepriceResult>;

// Every stored call, whenever it happened: usage may carry any timestamp a caller gave.
const ALL_TIME = { from: new Date(0), to: new Date("9999-01-01T00:00:00Z") };

/**
 * Re-prices every stored LLM call with today's catalog and overrides, each at the price
 * in force at its time (lib/ingest/llm/recompute.ts), after a price was added or the
 * catalog updated. The changed rows queue their hours for the rollups (a trigger), so the
 * rollup job is started at once rather than left to the next sync or cron.
 */
export async function repriceStoredUsage(db: Db): Promise<RepriceResult> {
  jobSender(); // refuses before any cost changes when the rollup that follows could not start
  const { repriced, changed } = await recomputeUsageCosts(db, ALL_TIME);
  const rollup = changed > 0 ? await dispatchRollup(db) : null;
  return { repriced, changed, rollupRunId: rollup?.runId ?? null };
}
