import { and, eq, inArray, lt, ne } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { syncRuns, type PhaseTimings, type SyncFunction, type SyncRun, type SyncTrigger } from "@/lib/db/schema";

export type RunCounts = Partial<
  Pick<
    SyncRun,
    "pages" | "workflowsSeen" | "executionsSeen" | "executionsNew" | "executionsUpdated" | "executionsExcluded"
  >
> & { phaseMs?: PhaseTimings; details?: Record<string, unknown> };

export interface RunContext {
  runId: number;
}

export interface RunMeta {
  function: SyncFunction;
  trigger: SyncTrigger;
  clientId?: number | null;
  /** A run queued beforehand (queueRun), so whoever asked can follow it by id. */
  runId?: number;
}

/**
 * Records a run as queued before its job starts: a request that dispatches a job (sync
 * now, saving rules) answers with this id at once, and the page polls it.
 */
export async function queueRun(db: Db, meta: Omit<RunMeta, "runId">): Promise<number> {
  const [run] = await db
    .insert(syncRuns)
    .values({ function: meta.function, trigger: meta.trigger, clientId: meta.clientId ?? null, status: "queued" })
    .returning({ id: syncRuns.id });
  return run.id;
}

/**
 * Runs left queued or running by a process that stopped (in-process jobs die with it):
 * recorded as failed at the next start, so no page polls them forever. CLI runs are left
 * alone: with a database server the CLI may be running right now.
 */
export async function failInterruptedRuns(db: Db, startedBefore: Date): Promise<number> {
  const rows = await db
    .update(syncRuns)
    .set({ status: "error", finishedAt: new Date(), error: "Interrupted: the server stopped before this run finished" })
    .where(and(inArray(syncRuns.status, ["queued", "running"]), ne(syncRuns.trigger, "cli"), lt(syncRuns.startedAt, startedBefore)))
    .returning({ id: syncRuns.id });
  return rows.length;
}

async function startRun(db: Db, meta: RunMeta): Promise<number> {
  if (meta.runId !== undefined) {
    const [run] = await db
      .update(syncRuns)
      .set({ status: "running", startedAt: new Date(), finishedAt: null, error: null })
      .where(eq(syncRuns.id, meta.runId))
      .returning({ id: syncRuns.id });
    if (run) return run.id;
  }
  const [run] = await db
    .insert(syncRuns)
    .values({ function: meta.function, trigger: meta.trigger, clientId: meta.clientId ?? null })
    .returning({ id: syncRuns.id });
  return run.id;
}

/**
 * Runs one job and records it in sync_runs: started, then success with the counts the
 * job returns, or error with its message. The error is re-thrown so callers (Inngest
 * retries, the CLI's exit code) still see it.
 */
export async function recordRun<T extends RunCounts>(
  db: Db,
  meta: RunMeta,
  job: (ctx: RunContext) => Promise<T>,
): Promise<T & { runId: number }> {
  const run = { id: await startRun(db, meta) };
  try {
    const result = await job({ runId: run.id });
    const { phaseMs, details, ...counts } = result;
    await db
      .update(syncRuns)
      .set({
        status: "success",
        finishedAt: new Date(),
        pages: counts.pages ?? 0,
        workflowsSeen: counts.workflowsSeen ?? 0,
        executionsSeen: counts.executionsSeen ?? 0,
        executionsNew: counts.executionsNew ?? 0,
        executionsUpdated: counts.executionsUpdated ?? 0,
        executionsExcluded: counts.executionsExcluded ?? 0,
        phaseMs: phaseMs ?? {},
        details: details ?? null,
      })
      .where(eq(syncRuns.id, run.id));
    return { ...result, runId: run.id };
  } catch (err) {
    await db
      .update(syncRuns)
      .set({ status: "error", finishedAt: new Date(), error: errorMessage(err) })
      .where(eq(syncRuns.id, run.id));
    throw err;
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
