import { inArray } from "drizzle-orm";
import type { Db } from "@/lib/db/database";
import { syncRuns } from "@/lib/db/schema";
import { type SyncTrigger } from "@/lib/core/vocabulary";
import { inngestConfigured } from "@/lib/core/env";
import { AppError } from "@/lib/core/errors";
import { getClientOrThrow } from "@/lib/clients/queries";
import { listActiveClientIds, syncClient } from "@/lib/ingest/collect";
import { reclassifyClient } from "@/lib/ingest/classify/reclassify";
import { errorMessage, queueRun } from "@/lib/runs/record";
import { inngest } from "@/inngest/client";
import { clientRulesChanged, clientSyncRequested } from "@/inngest/events";

/**
 * Starting a job from a request (Sync now, saving rules): the run is queued first, so
 * the answer carries its id at once and the page can poll tasks/status/{runId}. With
 * Inngest the event carries the id; without it the job runs in this process, in the
 * background, and the request never waits for it.
 */

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

export async function dispatchSync(
  db: Db,
  clientId: number,
  trigger: SyncTrigger = "manual",
): Promise<{ runId: number }> {
  await getClientOrThrow(db, clientId);
  const runId = await queueRun(db, { function: "sync-client", trigger, clientId });
  if (inngestConfigured) {
    await sendOrFail(db, runId, () => inngest.send(clientSyncRequested.create({ clientId, runId })));
  } else {
    runInBackground(`sync-client run ${runId}`, () => syncClient(db, { clientId, trigger, runId }));
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
  const runs: Array<{ clientId: number; runId: number }> = [];
  for (const clientId of await listActiveClientIds(db)) {
    runs.push({ clientId, runId: await queueRun(db, { function: "sync-client", trigger, clientId }) });
  }
  if (runs.length === 0) return { runs };
  if (inngestConfigured) {
    await sendOrFail(
      db,
      runs.map((r) => r.runId),
      () => inngest.send(runs.map((r) => clientSyncRequested.create(r))),
    );
  } else {
    for (const { clientId, runId } of runs) {
      runInBackground(`sync-client run ${runId}`, () => syncClient(db, { clientId, trigger, runId }));
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
  const runId = await queueRun(db, { function: "reclassify", trigger, clientId });
  if (inngestConfigured) {
    await sendOrFail(db, runId, () => inngest.send(clientRulesChanged.create({ clientId, runId })));
  } else {
    runInBackground(`reclassify run ${runId}`, () => reclassifyClient(db, { clientId, trigger, runId }));
  }
  return { runId };
}
