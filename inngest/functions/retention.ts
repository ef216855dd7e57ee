import { cron } from "inngest";
import { runRetentionJob } from "@/lib/jobs";
import { SCHEDULES, inngestCron } from "@/lib/jobs/schedule";
import { inngest } from "../client";
import { getDb } from "@/lib/db/database";

/** Deletes raw rows and fine rollups past their retention (never un-rolled-up rows). */
export const retention = inngest.createFunction(
  { id: "retention", triggers: [cron(inngestCron(SCHEDULES.retention))] },
  async ({ step }) => {
    return step.run("apply-retention", async () => runRetentionJob(await getDb(), { trigger: "cron" }));
  },
);
