import { and, desc, eq, gt, inArray, lt, ne } from "drizzle-orm";
import type { Db } from "@/lib/db/database";
import { syncRuns, type SyncRun } from "@/lib/db/schema";
import { type PhaseTimings, type SyncFunction, type SyncTrigger } from "@/lib/core/vocabulary";
import { describeError, withoutNul } from "@/lib/core/describe-error";
import { FLOWSCOPE_METRICS, recordMetrics, runPoints } from "@/lib/telemetry";
import { failExpiredRuns, startHeartbeat } from "./lease";

export { failExpiredRuns, RUN_HEARTBEAT_MS, RUN_LEASE_MS } from "./lease";

export type RunCounts = Partial<
  Pick<
    SyncRun,
    "pages" | "workflowsSeen" | "executionsSeen" | "executionsNew" | "executionsUpdated" | "executionsExcluded"
  >
> & { phaseMs?: PhaseTimings; details?: Record<string, unknown> };

/**
 * What a job has done so far, in the shape of its result. The job keeps it current; if
 * the job throws, the run records it with the error (a failed sync still stored rows).
 */
export type RunProgress = RunCounts;

export interface RunContext {
  runId: number;
  progress: RunProgress;
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

/** How long a queued or running job counts as in progress for "run now" (a lost one must not block it forever). */
const IN_PROGRESS_WINDOW_MS = 60 * 60_000;

/**
 * The newest run of a client-less job (rollup, retention) that is queued or running and
 * began within the last hour, or null: "run now" then follows it instead of starting a
 * second one beside it (each would redo the other's work).
 */
export async function runInProgress(db: Db, fn: SyncFunction, now: Date = new Date()): Promise<number | null> {
  const [row] = await db
    .select({ id: syncRuns.id })
    .from(syncRuns)
    .where(
      and(
        eq(syncRuns.function, fn),
        inArray(syncRuns.status, ["queued", "running"]),
        gt(syncRuns.startedAt, new Date(now.getTime() - IN_PROGRESS_WINDOW_MS)),
      ),
    )
    .orderBy(desc(syncRuns.id))
    .limit(1);
  return row?.id ?? null;
}

/**
 * Queued runs left by a server that stopped, failed at the next start of the in-process
 * scheduler (lib/jobs/boot/start.ts). Such a run waited in that process's memory (the client
 * lock), so it is lost; a queued run has no heartbeat for the lease to expire. Running
 * runs are not touched here: they go by their lease (failExpiredRuns), which also covers
 * a second server or an Inngest worker that is still alive, and the CLI. The CLI never
 * queues (it starts its runs directly), and is excluded all the same.
 */
export async function failInterruptedRuns(db: Db, startedBefore: Date): Promise<number> {
  const rows = await db
    .update(syncRuns)
    .set({ status: "error", finishedAt: new Date(), error: "Interrupted: the server stopped before this run started" })
    .where(and(eq(syncRuns.status, "queued"), ne(syncRuns.trigger, "cli"), lt(syncRuns.startedAt, startedBefore)))
    .returning({ id: syncRuns.id });
  return rows.length;
}

/** The columns a run's counts fill, from a result or from progress. */
function countColumns(counts: RunCounts) {
  return {
    pages: counts.pages ?? 0,
    workflowsSeen: counts.workflowsSeen ?? 0,
    executionsSeen: counts.executionsSeen ?? 0,
    executionsNew: counts.executionsNew ?? 0,
    executionsUpdated: counts.executionsUpdated ?? 0,
    executionsExcluded: counts.executionsExcluded ?? 0,
    phaseMs: counts.phaseMs ?? {},
    details: withoutNul(counts.details) ?? null,
  };
}

async function startRun(db: Db, meta: RunMeta): Promise<number> {
  const now = new Date();
  // A retried run starts clean: nothing from the failed attempt stays on it.
  const fresh = {
    status: "running" as const,
    startedAt: now,
    heartbeatAt: now,
    finishedAt: null,
    error: null,
    errorDetail: null,
    ...countColumns({}),
  };
  if (meta.runId !== undefined) {
    const runId = meta.runId;
    // Read and started under the row's lock: two deliveries of one queued run (an Inngest
    // retry) see it queued once, so its wait is recorded once.
    const queued = await db.transaction(async (tx) => {
      const [row] = await tx
        .select({ id: syncRuns.id, status: syncRuns.status, queuedAt: syncRuns.startedAt })
        .from(syncRuns)
        .where(eq(syncRuns.id, runId))
        .for("update");
      if (row) await tx.update(syncRuns).set(fresh).where(eq(syncRuns.id, runId));
      return row;
    });
    if (queued?.status === "queued") {
      recordMetrics(db, {
        ...FLOWSCOPE_METRICS.queueWait,
        value: Math.max(0, now.getTime() - queued.queuedAt.getTime()),
        labels: { function: meta.function, trigger: meta.trigger },
        at: now,
      });
    }
    if (queued) return queued.id;
  }
  const [run] = await db
    .insert(syncRuns)
    .values({ function: meta.function, trigger: meta.trigger, clientId: meta.clientId ?? null, ...fresh })
    .returning({ id: syncRuns.id });
  return run.id;
}

/**
 * Runs one job and records it in sync_runs: started, then success with the counts the
 * job returns, or error with a readable message and whatever the job had counted in
 * `ctx.progress`. While it runs, it holds the run's lease (lease.ts). The error is
 * re-thrown so callers (Inngest retries, the CLI's exit code) still see it.
 */
export async function recordRun<T extends RunCounts>(
  db: Db,
  meta: RunMeta,
  job: (ctx: RunContext) => Promise<T>,
): Promise<T & { runId: number }> {
  // Runs of processes that died are failed before this one starts (an indexed update).
  await failExpiredRuns(db);
  const runId = await startRun(db, meta);
  const started = performance.now();
  const progress: RunProgress = {};
  const heartbeat = startHeartbeat(db, runId, () => countColumns(progress));
  // Buffered (lib/telemetry): recording never fails or delays the run it measures.
  const measure = (ok: boolean, counts: RunCounts) =>
    recordMetrics(db, () =>
      runPoints({
        function: meta.function,
        trigger: meta.trigger,
        clientId: meta.clientId,
        runId,
        ok,
        phaseMs: counts.phaseMs,
        wallMs: performance.now() - started,
        at: new Date(),
      }),
    );
  try {
    const result = await job({ runId, progress });
    heartbeat.stop();
    await db
      .update(syncRuns)
      .set({ status: "success", finishedAt: new Date(), heartbeatAt: new Date(), ...countColumns(result) })
      .where(eq(syncRuns.id, runId));
    measure(true, result);
    return { ...result, runId };
  } catch (err) {
    heartbeat.stop();
    measure(false, progress);
    const { message, detail } = describeError(err);
    try {
      await db
        .update(syncRuns)
        .set({
          status: "error",
          finishedAt: new Date(),
          heartbeatAt: new Date(),
          error: message,
          errorDetail: detail,
          ...countColumns(progress),
        })
        .where(eq(syncRuns.id, runId));
    } catch (writeErr) {
      // The database may be what failed. The run's lease then expires and marks it;
      // the job's own error is what the caller must see.
      console.error(`[runs] could not record the failure of run ${runId}: ${describeError(writeErr).message}`);
    }
    throw err;
  } finally {
    heartbeat.stop();
  }
}

/** The readable sentence of any error, as a run records it (never SQL text). */
export function errorMessage(err: unknown): string {
  return describeError(err).message;
}
