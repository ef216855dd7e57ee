import { cron } from "inngest";
import { runAlertsJob } from "@/lib/alerts/jobs";
import { SCHEDULES, inngestCron } from "@/lib/jobs/schedule";
import { inngest } from "../client";
import { getDb } from "@/lib/db/database";
import { alertsEvaluationRequested } from "../events";

/**
 * Evaluates alert rules and delivers due notifications: every minute (conditions that
 * change with time alone), and after each client's sync (that client's rules). One at a
 * time: evaluations of a rule take turns anyway (its row lock), and a backlog of events
 * need not pile up behind them.
 */
export const evaluateAlerts = inngest.createFunction(
  {
    id: "evaluate-alerts",
    triggers: [cron(inngestCron(SCHEDULES.alerts)), alertsEvaluationRequested],
    concurrency: { limit: 1 },
  },
  async ({ event, step }) => {
    const requested = event.name === alertsEvaluationRequested.name;
    const clientId = requested ? event.data?.clientId : undefined;
    const trigger = requested ? "event" : "cron";
    return step.run("evaluate-and-deliver", async () => runAlertsJob(await getDb(), { clientId, trigger }));
  },
);
