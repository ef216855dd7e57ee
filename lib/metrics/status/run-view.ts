import { isoTimeOrNull } from "@/lib/db/database";
import { desc, eq } from "drizzle-orm";
import type { Db } from "@/lib/db/database";
import { clients, syncRuns, type SyncRun } from "@/lib/db/schema";
import { AppError } from "@/lib/core/errors";
import { failExpiredRuns } from "@/lib/runs/lease";
import type { RunSummary, RunView } from "./types";

export function toRunSummary(
  run: Pick<SyncRun, "id" | "function" | "status" | "startedAt" | "finishedAt" | "error">,
): RunSummary {
  return {
    id: run.id,
    function: run.function,
    status: run.status,
    startedAt: run.startedAt.toISOString(),
    finishedAt: isoTimeOrNull(run.finishedAt),
    error: run.error,
  };
}

function toRunView(run: SyncRun & { clientName: string | null }): RunView {
  return {
    ...toRunSummary(run),
    trigger: run.trigger,
    clientId: run.clientId,
    clientName: run.clientName,
    // A queued run has not started yet: its startedAt is when it was queued.
    durationMs: run.finishedAt && run.status !== "queued" ? run.finishedAt.getTime() - run.startedAt.getTime() : null,
    counts: {
      pages: run.pages,
      workflowsSeen: run.workflowsSeen,
      executionsSeen: run.executionsSeen,
      executionsNew: run.executionsNew,
      executionsUpdated: run.executionsUpdated,
      executionsExcluded: run.executionsExcluded,
    },
    phaseMs: run.phaseMs,
    details: run.details ?? null,
  };
}

/** sync_runs has no secret column, so the whole row is safe to show. */
const runWithClient = (db: Db) =>
  db
    .select({ run: syncRuns, clientName: clients.name })
    .from(syncRuns)
    .leftJoin(clients, eq(clients.id, syncRuns.clientId));

/** One run, for tasks/status/{runId}: what a page polls after "Sync now" or saving rules. */
export async function getRunView(db: Db, runId: number): Promise<RunView> {
  // A page polling a run whose process died would otherwise see "running" forever.
  await failExpiredRuns(db, new Date(), { runId });
  const [row] = await runWithClient(db).where(eq(syncRuns.id, runId));
  if (!row) throw new AppError("not_found", `Run ${runId} not found`);
  return toRunView({ ...row.run, clientName: row.clientName });
}

/** A client's runs (syncs, re-classifications, rollups), newest first. */
export async function listClientRuns(db: Db, opts: { clientId: number; limit: number }): Promise<RunView[]> {
  await failExpiredRuns(db, new Date(), { clientId: opts.clientId });
  const rows = await runWithClient(db)
    .where(eq(syncRuns.clientId, opts.clientId))
    .orderBy(desc(syncRuns.startedAt), desc(syncRuns.id))
    .limit(opts.limit);
  return rows.map((row) => toRunView({ ...row.run, clientName: row.clientName }));
}
