import { cron } from "inngest";
import { runRollupJob } from "@/lib/jobs";
import { SCHEDULES, inngestCron } from "@/lib/jobs/schedule";
import { inngest } from "../client";
import { getDb } from "@/lib/db/database";

/** Safety net: folds in buckets a sync left dirty, for every active client. */
export const rollupMonthly = inngest.createFunction(
  { id: "rollup-monthly", triggers: [cron(inngestCron(SCHEDULES.rollupMonthly))] },
  async ({ step }) => {
    return step.run("refresh-rollups", async () => runRollupJob(await getDb(), { trigger: "cron" }));
  },
);
