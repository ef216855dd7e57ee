/**
 * The alerts job: evaluate the rules (all, or one client's after its sync), then deliver
 * the notifications that are due, including retries of earlier ones. The in-process
 * scheduler and the sync dispatch reach it through lib/jobs/alerts-port.ts; the Inngest
 * function (inngest/functions/evaluate-alerts.ts) calls it directly.
 */
import type { Db } from "@/lib/db/database";
import { registerAlertsPort } from "@/lib/jobs/alerts-port";
import { deliverDue, type DeliveryCounts } from "./delivery/queue";
import { evaluateAlerts, type EvaluationResult } from "./evaluate";

export interface AlertsJobResult {
  evaluation: EvaluationResult;
  delivery: DeliveryCounts;
}

export async function runAlertsJob(db: Db, opts: { clientId?: number; now?: Date } = {}): Promise<AlertsJobResult> {
  const evaluation = await evaluateAlerts(db, opts);
  const delivery = await deliverDue(db, { now: opts.now });
  return { evaluation, delivery };
}

/** Jobs in this process evaluate alerts after syncs and rollups, and every minute. */
export function registerInProcessAlerts(): void {
  registerAlertsPort({ evaluate: (db, opts) => runAlertsJob(db, opts) });
}
