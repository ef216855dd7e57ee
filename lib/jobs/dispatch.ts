import { inArray } from "drizzle-orm";
import type { Db } from "@/lib/db/database";
import { syncRuns } from "@/lib/db/schema";
import { type SyncTrigger } from "@/lib/core/vocabulary";
import { inngestConfigured } from "@/lib/core/env";
import { AppError } from "@/lib/core/errors";
import { getClientOrThrow } from "@/lib/clients/queries";
import { listActiveClientIds, syncClient } from "@/lib/ingest/collect";
import { reclassifyClient } from "@/lib/ingest/classify/reclassify";
import { errorMessage, queueRun, runInProgress } from "@/lib/runs/record";
import { runRetentionJob, runRollupJob } from "./maintenance";
import { evaluateAlertsAfter } from "./alerts-port";

/**
 * Starting a job from a request (Sync now, saving rules): the run is queued first, so
 * the answer carries its id at once and the page can poll tasks/status/{runId}. With
 * Inngest the job goes out through the registered sender and carries the id; without it
 * the job runs in this process, in the background, and the request never waits for it.
 */

/**
 * Where queued jobs go when a queue runs them elsewhere. lib/ does not know Inngest:
 * inngest/sender.ts implements this port and instrumentation.ts registers it.
 */
export interface JobSender {
  sendSyncs(runs: ReadonlyArray<{ clientId: number; runId: number }>): Promise<void>;
  sendReclassify(run: { clientId: number; runId: number }): Promise<void>;
  /** The scheduled rollup and retention jobs, started now ("Run now" on the scheduler page). */
  sendRollup(run: { runId: number }): Promise<void>;
  sendRetention(run: { runId: number }): Promise<void>;
}

// On globalThis: instrumentation and the route handlers are separate bundles of one process.
const SENDER = Symbol.for("flowscope.jobSender");
type WithSender = typeof globalThis & { [SENDER]?: JobSender | null };

export function registerJobSender(sender: JobSender | null): void {
  (globalThis as WithSender)[SENDER] = sender;
}

/**
 * The sender when Inngest runs the jobs; null when they run in this process. Asked before
 * a run is queued (and before whatever the job follows from is saved), so a missing
 * sender leaves nothing half done: no run queued that nobody will pick up.
 */
export function jobSender(): JobSender | null {
  if (!inngestConfigured) return null;
  const sender = (globalThis as WithSender)[SENDER];
  if (!sender) throw new AppError("internal", "Inngest is configured but no job sender is registered");
  return sender;
}

// Jobs started here run after the request has answered; syncClient and reclassifyClient
// take the per-client lock themselves (lib/runs/client-lock.ts), so a click, the cron
// and a rules change never interleave on one client.
const pending = new Set<Promise<unknown>>();

function runInBackground(name: string, job: () => Promise<unknown>): void {
  const running: Promise<unknown> = job()
    .catch((err: unknown) => {
      // The job recorded the failure in its run row; the log is for whoever runs the server.
      console.error(`[jobs] ${name} failed: ${errorMessage(err)}`);
    })
    .finally(() => pending.delete(running));
  pending.add(running);
}

/** Resolves when every in-process job started so far has finished (tests, shutdown). */
export async function backgroundJobsSettled(): Promise<void> {
  while (pending.size > 0) await Promise.allSettled([...pending]);
}

async function sendOrFail(db: Db, runIds: number | number[], send: () => Promise<unknown>): Promise<void> {
  try {
    await send();
  } catch (err) {
    // Nobody will ever pick the run up: record why, instead of leaving it queued forever.
    const message = `Could not send the event to Inngest: ${errorMessage(err)}`;
    const ids = Array.isArray(runIds) ? runIds : [runIds];
    await db
      .update(syncRuns)
      .set({ status: "error", finishedAt: new Date(), error: message })
      .where(inArray(syncRuns.id, ids));
    throw new AppError("upstream", message, { cause: err });
  }
}

/** A sync, then its client's alert rules, whether the sync succeeded or not (a failing sync is what stale-data rules watch). */
async function syncThenEvaluate(db: Db, opts: { clientId: number; trigger: SyncTrigger; runId: number }) {
  try {
    return await syncClient(db, opts);
  } finally {
    evaluateAlertsAfter(db, { clientId: opts.clientId });
  }
}

export async function dispatchSync(
  db: Db,
  clientId: number,
  trigger: SyncTrigger = "manual",
): Promise<{ runId: number }> {
  await getClientOrThrow(db, clientId);
  const sender = jobSender();
  const runId = await queueRun(db, { function: "sync-client", trigger, clientId });
  if (sender) {
    await sendOrFail(db, runId, () => sender.sendSyncs([{ clientId, runId }]));
  } else {
    runInBackground(`sync-client run ${runId}`, () => syncThenEvaluate(db, { clientId, trigger, runId }));
  }
  return { runId };
}

/**
 * One sync per active client, each with its own run, so one failure never hides the
 * others. Under Inngest the events go in one send: all clients are dispatched, or none
 * and every queued run says why.
 */
export async function dispatchSyncAll(
  db: Db,
  trigger: SyncTrigger = "manual",
): Promise<{ runs: Array<{ clientId: number; runId: number }> }> {
  const sender = jobSender();
  const runs: Array<{ clientId: number; runId: number }> = [];
  for (const clientId of await listActiveClientIds(db)) {
    runs.push({ clientId, runId: await queueRun(db, { function: "sync-client", trigger, clientId }) });
  }
  if (runs.length === 0) return { runs };
  if (sender) {
    await sendOrFail(
      db,
      runs.map((r) => r.runId),
      () => sender.sendSyncs(runs),
    );
  } else {
    for (const { clientId, runId } of runs) {
      runInBackground(`sync-client run ${runId}`, () => syncThenEvaluate(db, { clientId, trigger, runId }));
    }
  }
  return { runs };
}

export async function dispatchReclassify(
  db: Db,
  clientId: number,
  trigger: SyncTrigger = "manual",
): Promise<{ runId: number }> {
  await getClientOrThrow(db, clientId);
  const sender = jobSender();
  const runId = await queueRun(db, { function: "reclassify", trigger, clientId });
  if (sender) {
    await sendOrFail(db, runId, () => sender.sendReclassify({ clientId, runId }));
  } else {
    runInBackground(`reclassify run ${runId}`, () => reclassifyClient(db, { clientId, trigger, runId }));
  }
  return { runId };
}

/**
 * The rollup job now, as its crons run it (every client with dirty buckets): the
 * scheduler page's "Run now" for the three rollup crons, and what re-pricing starts.
 * While one is in progress, its run is answered instead of a second one.
 */
export async function dispatchRollup(db: Db, trigger: SyncTrigger = "manual"): Promise<{ runId: number }> {
  const running = await runInProgress(db, "rollup");
  if (running !== null) return { runId: running };
  const sender = jobSender();
  const runId = await queueRun(db, { function: "rollup", trigger });
  if (sender) {
    await sendOrFail(db, runId, () => sender.sendRollup({ runId }));
  } else {
    runInBackground(`rollup run ${runId}`, async () => {
      await runRollupJob(db, { trigger, runId });
      evaluateAlertsAfter(db);
    });
  }
  return { runId };
}

/** The retention job now: the scheduler page's "Run now"; one in progress is answered instead of a second. */
export async function dispatchRetention(db: Db, trigger: SyncTrigger = "manual"): Promise<{ runId: number }> {
  const running = await runInProgress(db, "retention");
  if (running !== null) return { runId: running };
  const sender = jobSender();
  const runId = await queueRun(db, { function: "retention", trigger });
  if (sender) {
    await sendOrFail(db, runId, () => sender.sendRetention({ runId }));
  } else {
    runInBackground(`retention run ${runId}`, () => runRetentionJob(db, { trigger, runId }));
  }
  return { runId };
}
