import { inArray, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/database";
import { syncRuns } from "@/lib/db/schema";
import { SYNC_FUNCTIONS, type SyncFunction } from "@/lib/core/vocabulary";
import { inngestConfigured } from "@/lib/core/env";

export interface FunctionQueue {
  function: SyncFunction;
  queued: number;
  running: number;
  oldestQueuedAt: string | null;
}

export interface QueueStatus {
  queued: number;
  running: number;
  oldestQueuedAt: string | null;
  byFunction: FunctionQueue[];
  inngest: { configured: boolean; note: string };
}

/**
 * What Inngest itself can tell: its REST API answers runs by event or by run id and
 * cancels runs, but exposes no queue depth or backlog. A run Flowscope sent to Inngest
 * stays `queued` in sync_runs until the function starts it, so these counts are the
 * queue as Flowscope sees it in both modes.
 */
const INNGEST_NOTE =
  "Inngest's API exposes runs by event or id, not queue depth: queued counts are runs sent to Inngest and not yet started.";
const IN_PROCESS_NOTE =
  "Inngest is not configured: jobs run in this process; queued runs wait for their client's lock.";

/** Runs queued and running now, per function (every function listed, zeros included). */
export async function readQueueStatus(db: Db): Promise<QueueStatus> {
  const rows = await db
    .select({
      function: syncRuns.function,
      status: syncRuns.status,
      n: sql<number>`count(*)::int`,
      oldest: sql<Date | string | null>`min(${syncRuns.startedAt})`,
    })
    .from(syncRuns)
    .where(inArray(syncRuns.status, ["queued", "running"]))
    .groupBy(syncRuns.function, syncRuns.status);
  const byFunction: FunctionQueue[] = SYNC_FUNCTIONS.map((fn) => {
    const queued = rows.find((r) => r.function === fn && r.status === "queued");
    const running = rows.find((r) => r.function === fn && r.status === "running");
    return {
      function: fn,
      queued: queued?.n ?? 0,
      running: running?.n ?? 0,
      oldestQueuedAt: queued?.oldest ? new Date(queued.oldest).toISOString() : null,
    };
  });
  const oldest = byFunction
    .map((f) => f.oldestQueuedAt)
    .filter((t): t is string => t !== null)
    .sort()[0];
  return {
    queued: byFunction.reduce((s, f) => s + f.queued, 0),
    running: byFunction.reduce((s, f) => s + f.running, 0),
    oldestQueuedAt: oldest ?? null,
    byFunction,
    inngest: { configured: inngestConfigured, note: inngestConfigured ? INNGEST_NOTE : IN_PROCESS_NOTE },
  };
}
