import { eq } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { syncRuns, type SyncTrigger } from "@/lib/db/schema";
import { inngestConfigured } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { getClientOrThrow } from "@/lib/clients/queries";
import { listActiveClientIds, syncClient } from "@/lib/collect";
import { reclassifyClient } from "@/lib/classify/reclassify";
import { errorMessage, queueRun } from "@/lib/runs/record";
import { inngest } from "@/inngest/client";
import { clientRulesChanged, clientSyncRequested } from "@/inngest/events";

/**
 * Starting a job from a request (Sync now, saving rules): the run is queued first, so
 * the answer carries its id at once and the page can poll tasks/status/{runId}. With
 * Inngest the event carries the id; without it the job runs in this process, in the
 * background, and the request never waits for it.
 */

// One in-process job per client at a time, like Inngest's per-client concurrency limit:
// two quick clicks must not sync one client twice at once, and a re-classification queued
// behind a running sync re-applies the new rules to what that sync stored with the old ones.
const chains = new Map<string, Promise<unknown>>();

function runInBackground(key: string, name: string, job: () => Promise<unknown>): void {
  const previous = chains.get(key) ?? Promise.resolve();
  const next = previous
    .catch(() => {})
    .then(job)
    .catch((err: unknown) => {
      // The job recorded the failure in its run row; the log is for whoever runs the server.
      console.error(`[jobs] ${name} (${key}) failed: ${errorMessage(err)}`);
    })
    .finally(() => {
      if (chains.get(key) === next) chains.delete(key);
    });
  chains.set(key, next);
}

/** Resolves when every in-process job started so far has finished (tests, shutdown). */
export async function backgroundJobsSettled(): Promise<void> {
  while (chains.size > 0) await Promise.allSettled([...chains.values()]);
}

async function sendOrFail(db: Db, runId: number, send: () => Promise<unknown>): Promise<void> {
  try {
    await send();
  } catch (err) {
    // Nobody will ever pick the run up: record why, instead of leaving it queued forever.
    const message = `Could not send the event to Inngest: ${errorMessage(err)}`;
    await db.update(syncRuns).set({ status: "error", finishedAt: new Date(), error: message }).where(eq(syncRuns.id, runId));
    throw new AppError("upstream", message, { cause: err });
  }
}

export async function dispatchSync(db: Db, clientId: number, trigger: SyncTrigger = "manual"): Promise<{ runId: number }> {
  await getClientOrThrow(db, clientId);
  const runId = await queueRun(db, { function: "sync-client", trigger, clientId });
  if (inngestConfigured) {
    await sendOrFail(db, runId, () => inngest.send(clientSyncRequested.create({ clientId, runId })));
  } else {
    runInBackground(`client:${clientId}`, `sync-client run ${runId}`, () => syncClient(db, { clientId, trigger, runId }));
  }
  return { runId };
}

/** One sync per active client, each with its own run, so one failure never hides the others. */
export async function dispatchSyncAll(db: Db, trigger: SyncTrigger = "manual"): Promise<{ runs: Array<{ clientId: number; runId: number }> }> {
  const runs = [];
  for (const clientId of await listActiveClientIds(db)) {
    runs.push({ clientId, ...(await dispatchSync(db, clientId, trigger)) });
  }
  return { runs };
}

export async function dispatchReclassify(db: Db, clientId: number, trigger: SyncTrigger = "manual"): Promise<{ runId: number }> {
  await getClientOrThrow(db, clientId);
  const runId = await queueRun(db, { function: "reclassify", trigger, clientId });
  if (inngestConfigured) {
    await sendOrFail(db, runId, () => inngest.send(clientRulesChanged.create({ clientId, runId })));
  } else {
    runInBackground(`client:${clientId}`, `reclassify run ${runId}`, () => reclassifyClient(db, { clientId, trigger, runId }));
  }
  return { runId };
}
