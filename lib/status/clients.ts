import { and, asc, count, desc, eq, max, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { clients, executions, syncRuns, workflows, type SyncStatus } from "@/lib/db/schema";

/** A client as lists and /health show it. Explicit columns: never the n8n API key. */
export interface ClientSummary {
  id: number;
  name: string;
  slug: string;
  active: boolean;
  workflowCount: number;
  executionCount: number;
  productionExecutionCount: number;
  /** finishedAt of the newest successful sync-client run. */
  lastSyncAt: Date | null;
  lastRun: { status: SyncStatus; startedAt: Date; finishedAt: Date | null; error: string | null } | null;
}

const isSyncClient = eq(syncRuns.function, "sync-client");

/**
 * Every client with its counts and sync state. Five small grouped queries in one
 * Promise.all rather than a query per client, so the cost does not grow with clients.
 */
export async function listClientsWithCounts(db: Db): Promise<ClientSummary[]> {
  const [rows, workflowCounts, executionCounts, lastSuccess, lastRuns] = await Promise.all([
    db
      .select({ id: clients.id, name: clients.name, slug: clients.slug, active: clients.active })
      .from(clients)
      .orderBy(asc(clients.name), asc(clients.id)),
    db
      .select({ clientId: workflows.clientId, n: count() })
      .from(workflows)
      .groupBy(workflows.clientId),
    db
      .select({
        clientId: executions.clientId,
        n: count(),
        production: sql<number>`count(*) filter (where ${executions.isProduction})`.mapWith(Number),
      })
      .from(executions)
      .groupBy(executions.clientId),
    db
      .select({ clientId: syncRuns.clientId, at: max(syncRuns.finishedAt) })
      .from(syncRuns)
      .where(and(isSyncClient, eq(syncRuns.status, "success")))
      .groupBy(syncRuns.clientId),
    // Newest run per client; served by sync_runs_client_started_idx.
    db
      .selectDistinctOn([syncRuns.clientId], {
        clientId: syncRuns.clientId,
        status: syncRuns.status,
        startedAt: syncRuns.startedAt,
        finishedAt: syncRuns.finishedAt,
        error: syncRuns.error,
      })
      .from(syncRuns)
      .where(isSyncClient)
      .orderBy(syncRuns.clientId, desc(syncRuns.startedAt), desc(syncRuns.id)),
  ]);

  const byClient = <T extends { clientId: number | null }>(list: T[]) =>
    new Map(list.map((r) => [r.clientId, r] as const));
  const wf = byClient(workflowCounts);
  const ex = byClient(executionCounts);
  const ok = byClient(lastSuccess);
  const last = byClient(lastRuns);

  return rows.map((c) => {
    const run = last.get(c.id);
    return {
      ...c,
      workflowCount: wf.get(c.id)?.n ?? 0,
      executionCount: ex.get(c.id)?.n ?? 0,
      productionExecutionCount: ex.get(c.id)?.production ?? 0,
      lastSyncAt: toDate(ok.get(c.id)?.at),
      lastRun: run
        ? { status: run.status, startedAt: run.startedAt, finishedAt: run.finishedAt, error: run.error }
        : null,
    };
  });
}

/** max() of a timestamptz comes back as a Date from some drivers and a string from others. */
function toDate(value: Date | string | null | undefined): Date | null {
  if (value == null) return null;
  return value instanceof Date ? value : new Date(value);
}
