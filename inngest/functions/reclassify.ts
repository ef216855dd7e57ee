import { reclassifyClient } from "@/lib/jobs";
import { CLIENT_CONCURRENCY, inngest } from "../client";
import { getDb } from "@/lib/db/database";
import { clientRulesChanged } from "../events";

/**
 * Re-applies a client's filter rules to its stored executions. One run per client at a
 * time, so two quick rule edits cannot interleave their writes.
 */
export const reclassify = inngest.createFunction(
  {
    id: "reclassify",
    triggers: [clientRulesChanged],
    // One key shared by sync-client and reclassify (scope env): one job per client at a time.
    concurrency: CLIENT_CONCURRENCY,
  },
  async ({ event, step }) => {
    // runId: the run queued by the request that saved the rules, which its page polls.
    const { clientId, runId } = event.data;
    return step.run("reclassify-executions", async () =>
      reclassifyClient(await getDb(), { clientId, runId, trigger: "event" }),
    );
  },
);
