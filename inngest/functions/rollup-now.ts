import { runRollupJob } from "@/lib/jobs";
import { inngest } from "../client";
import { getDb } from "@/lib/db/database";
import { rollupRequested } from "../events";

/** The rollup job asked for by hand; runs the run the request queued, which its page follows. */
export const rollupNow = inngest.createFunction(
  { id: "rollup-now", triggers: [rollupRequested] },
  async ({ event, step }) => {
    const { runId } = event.data;
    return step.run("refresh-rollups", async () => runRollupJob(await getDb(), { trigger: "event", runId }));
  },
);
