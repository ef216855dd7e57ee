import { runRetentionJob } from "@/lib/jobs";
import { inngest } from "../client";
import { getDb } from "@/lib/db/database";
import { retentionRequested } from "../events";

/** The retention job asked for by hand; runs the run the request queued, which its page follows. */
export const retentionNow = inngest.createFunction(
  { id: "retention-now", triggers: [retentionRequested] },
  async ({ event, step }) => {
    const { runId } = event.data;
    return step.run("apply-retention", async () => runRetentionJob(await getDb(), { trigger: "event", runId }));
  },
);
