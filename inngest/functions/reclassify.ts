import { reclassifyClient } from "@/lib/jobs";
import { inngest } from "../client";
import { jobDb } from "../db";
import { clientRulesChanged } from "../events";

/**
 * Re-applies a client's filter rules to its stored executions. One run per client at a
 * time, so two quick rule edits cannot interleave their writes.
 */
export const reclassify = inngest.createFunction(
  {
    id: "reclassify",
    triggers: [clientRulesChanged],
    concurrency: { limit: 1, key: "event.data.clientId" },
  },
  async ({ event, step }) => {
    // runId: the run queued by the request that saved the rules, which its page polls.
    const { clientId, runId } = event.data;
    return step.run("reclassify-executions", async () => reclassifyClient(await jobDb(), { clientId, runId, trigger: "event" }));
  },
);
