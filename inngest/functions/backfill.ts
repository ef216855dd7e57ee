import { runBackfillJob } from "@/lib/jobs";
import { inngest } from "../client";
import { getDb } from "@/lib/db/database";
import { backfillRequested } from "../events";

/**
 * Rebuilds rollups of the last `days` days, for one client or all; dryRun only counts.
 * recomputeCosts first re-prices the range's LLM usage (after a price change).
 */
export const backfill = inngest.createFunction(
  { id: "backfill", triggers: [backfillRequested] },
  async ({ event, step }) => {
    const { clientId, days, dryRun, granularities, recomputeCosts } = event.data;
    return step.run("rebuild-rollups", async () =>
      runBackfillJob(await getDb(), { trigger: "event", clientId, days, dryRun, granularities, recomputeCosts }),
    );
  },
);
