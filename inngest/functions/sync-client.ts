import { NonRetriableError } from "inngest";
import { syncClient } from "@/lib/jobs";
import { N8nError } from "@/lib/n8n";
import { CLIENT_CONCURRENCY, inngest } from "../client";
import { getDb } from "@/lib/db/database";
import { alertsEvaluationRequested, clientSyncRequested } from "../events";

/**
 * Syncs one client. At most one run per client at a time (the sync reads "what do I
 * already have" and then writes; two at once would fetch and upsert the same pages).
 * syncClient records the run, success or error, and re-throws so Inngest retries.
 */
export const syncClientFn = inngest.createFunction(
  {
    id: "sync-client",
    triggers: [clientSyncRequested],
    // One key shared by sync-client and reclassify (scope env): one job per client at a time.
    concurrency: CLIENT_CONCURRENCY,
  },
  async ({ event, step }) => {
    const outcome = await step.run("sync-client", async () => {
      try {
        // runId: the run a "Sync now" request queued, so its page follows this very run.
        const { clientId, runId } = event.data;
        return await syncClient(await getDb(), { clientId, runId, trigger: "event" });
      } catch (err) {
        // A wrong key or URL fails the same way on every retry; the run is already recorded.
        if (err instanceof N8nError && !err.transient) throw new NonRetriableError(err.message, { cause: err });
        throw err;
      }
    });
    // A failed sync is caught by the every-minute evaluation (stale-data rules).
    await step.sendEvent("evaluate-alerts", alertsEvaluationRequested.create({ clientId: event.data.clientId }));
    return outcome;
  },
);
