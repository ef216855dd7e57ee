import { cron } from "inngest";
import { runRollupJob } from "@/lib/jobs";
import { SCHEDULES, inngestCron } from "@/lib/jobs/schedule";
import { inngest } from "../client";
import { getDb } from "@/lib/db/database";

/** Safety net: folds in buckets a sync left dirty, for every active client. */
export const rollupDaily = inngest.createFunction(
  { id: "rollup-daily", triggers: [cron(inngestCron(SCHEDULES.rollupDaily))] },
  async ({ step }) => {
    return step.run("refresh-rollups", async () => runRollupJob(await getDb(), { trigger: "cron" }));
  },
);
