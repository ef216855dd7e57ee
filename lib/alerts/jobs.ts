/**
 * The alerts job: evaluate the rules (all, or one client's after its sync), then deliver
 * the notifications that are due, including retries of earlier ones. The in-process
 * scheduler and the sync dispatch reach it through lib/jobs/alerts-port.ts; the Inngest
 * function (inngest/functions/evaluate-alerts.ts) calls it directly.
 */
import type { Db } from "@/lib/db/database";
import type { SyncTrigger } from "@/lib/core/vocabulary";
import { recordMetrics, runPoints } from "@/lib/telemetry";
import { registerAlertsPort } from "@/lib/jobs/alerts-port";
import { deliverDue, type DeliveryCounts } from "./delivery/queue";
import { evaluateAlerts, type EvaluationResult } from "./evaluate";

export interface AlertsJobResult {
  evaluation: EvaluationResult;
  delivery: DeliveryCounts;
}

/**
 * The evaluation records no sync run (one a minute would bump every client's data version
 * and empty the metrics cache), so its phases and outcome go to the system metrics only.
 */
export async function runAlertsJob(
  db: Db,
  opts: { clientId?: number; now?: Date; trigger?: SyncTrigger } = {},
): Promise<AlertsJobResult> {
  const started = performance.now();
  const phaseMs = { measure: 0, deliver: 0 };
  let ok = false;
  try {
    const evaluation = await evaluateAlerts(db, opts);
    phaseMs.measure = performance.now() - started;
    const delivery = await deliverDue(db, { now: opts.now });
    phaseMs.deliver = performance.now() - started - phaseMs.measure;
    ok = true;
    return { evaluation, delivery };
  } finally {
    recordMetrics(db, () =>
      runPoints({
        function: "evaluate-alerts",
        trigger: opts.trigger ?? "event",
        clientId: opts.clientId,
        ok,
        phaseMs,
        wallMs: performance.now() - started,
        at: new Date(),
      }),
    );
  }
}

/** Jobs in this process evaluate alerts after syncs and rollups, and every minute. */
export function registerInProcessAlerts(): void {
  registerAlertsPort({ evaluate: (db, opts) => runAlertsJob(db, opts) });
}
