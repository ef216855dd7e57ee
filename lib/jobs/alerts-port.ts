import type { Db } from "@/lib/db/database";
import { logError } from "@/lib/core/log";
import type { SyncTrigger } from "@/lib/core/vocabulary";

/**
 * How jobs reach alert evaluation, which sits above them (lib/alerts reads the metrics).
 * instrumentation.ts registers lib/alerts/jobs.ts here when jobs run in this process; under
 * Inngest the functions send the evaluation event themselves (inngest/functions), and
 * nothing is registered.
 */
export interface AlertsPort {
  /** Evaluates the rules of one client (after its sync or rollup), or of all; then delivers what is due. */
  evaluate(db: Db, opts: { clientId?: number; trigger?: SyncTrigger }): Promise<unknown>;
}

// On globalThis: instrumentation and the route handlers are separate bundles of one process.
const PORT = Symbol.for("flowscope.alertsPort");
type WithPort = typeof globalThis & { [PORT]?: AlertsPort | null };

export function registerAlertsPort(port: AlertsPort | null): void {
  (globalThis as WithPort)[PORT] = port;
}

/**
 * Evaluates alerts after a job, without making the job wait or fail for it: a sync is
 * done when its data is stored, whatever alerting then does with it.
 */
export function evaluateAlertsAfter(db: Db, opts: { clientId?: number } = {}): void {
  const port = (globalThis as WithPort)[PORT];
  if (!port) return;
  void port.evaluate(db, opts).catch((err: unknown) => logError("[alerts] evaluation after a job failed", err));
}

/** The scheduled evaluation (every minute): awaited, so the scheduler's `protect` spaces runs. */
export async function evaluateAlertsOnSchedule(db: Db): Promise<void> {
  const port = (globalThis as WithPort)[PORT];
  if (port) await port.evaluate(db, { trigger: "cron" });
}
