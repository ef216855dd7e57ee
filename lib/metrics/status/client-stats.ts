import { and, asc, count, desc, eq, sql, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { Db } from "@/lib/db/database";
import { clients, executions, syncRuns, workflows, type SyncRun } from "@/lib/db/schema";
import { type SyncStatus } from "@/lib/core/vocabulary";
import { loadCoverageCounts, type CoverageCounts } from "@/lib/ingest/collect/coverage";
import { lastSyncAtSql } from "@/lib/runs/last-sync";

/** A client as lists and /health show it. Explicit columns: never the n8n API key. */
export interface ClientSummary {
  id: number;
  name: string;
  slug: string;
  active: boolean;
  /** IANA zone of the client's day, week and month figures. */
  timeZone: string;
  workflowCount: number;
  executionCount: number;
  productionExecutionCount: number;
  /** finishedAt of the newest successful sync-client run. */
  lastSyncAt: Date | null;
  lastRun: { status: SyncStatus; startedAt: Date; finishedAt: Date | null; error: string | null } | null;
  /** How much of the client's n8n history is held (lib/ingest/collect/coverage.ts). */
  coverage: CoverageCounts | null;
}

const isSyncClient = eq(syncRuns.function, "sync-client");

/** A client's counts and sync state, as the client lists (health, admin) show them. */
export interface ClientStats {
  workflowCount: number;
  executionCount: number;
  productionExecutionCount: number;
  /** finishedAt of the newest successful sync-client run. */
  lastSyncAt: Date | null;
  /** The newest sync-client run, whatever its status. */
  lastRun: Pick<SyncRun, "id" | "function" | "status" | "startedAt" | "finishedAt" | "error"> | null;
}

/**
 * Counts and sync state of every client (or of one): four small grouped queries in one
 * Promise.all rather than queries per client, so the cost does not grow with clients.
 */
export async function loadClientStats(db: Db, clientId?: number): Promise<Map<number, ClientStats>> {
  const only = (column: PgColumn, extra?: SQL) => and(clientId === undefined ? undefined : eq(column, clientId), extra);
  const [workflowCounts, executionCounts, lastSuccess, lastRuns] = await Promise.all([
    db
      .select({ clientId: workflows.clientId, n: count() })
      .from(workflows)
      .where(only(workflows.clientId))
      .groupBy(workflows.clientId),
    db
      .select({
        clientId: executions.clientId,
        n: count(),
        production: sql<number>`count(*) filter (where ${executions.isProduction})`.mapWith(Number),
      })
      .from(executions)
      .where(only(executions.clientId))
      .groupBy(executions.clientId),
    db
      .select({ clientId: clients.id, at: sql<Date | string | null>`${lastSyncAtSql(clients.id)}` })
      .from(clients)
      .where(only(clients.id)),
    // Newest run per client; served by sync_runs_client_started_idx.
    db
      .selectDistinctOn([syncRuns.clientId], {
        clientId: syncRuns.clientId,
        id: syncRuns.id,
        function: syncRuns.function,
        status: syncRuns.status,
        startedAt: syncRuns.startedAt,
        finishedAt: syncRuns.finishedAt,
        error: syncRuns.error,
      })
      .from(syncRuns)
      .where(only(syncRuns.clientId, isSyncClient))
      .orderBy(syncRuns.clientId, desc(syncRuns.startedAt), desc(syncRuns.id)),
  ]);

  const stats = new Map<number, ClientStats>();
  const of = (id: number | null) => {
    if (id === null) return null;
    let entry = stats.get(id);
    if (!entry) {
      entry = { workflowCount: 0, executionCount: 0, productionExecutionCount: 0, lastSyncAt: null, lastRun: null };
      stats.set(id, entry);
    }
    return entry;
  };
  for (const r of workflowCounts) of(r.clientId)!.workflowCount = r.n;
  for (const r of executionCounts)
    Object.assign(of(r.clientId)!, { executionCount: r.n, productionExecutionCount: r.production });
  for (const r of lastSuccess) {
    const entry = of(r.clientId);
    if (entry) entry.lastSyncAt = toDate(r.at);
  }
  for (const { clientId: id, ...run } of lastRuns) {
    const entry = of(id);
    if (entry) entry.lastRun = run;
  }
  return stats;
}

const NO_STATS: ClientStats = {
  workflowCount: 0,
  executionCount: 0,
  productionExecutionCount: 0,
  lastSyncAt: null,
  lastRun: null,
};

/** Stats of one client from loadClientStats' map; zeros for a client with no rows yet. */
export function statsOf(stats: Map<number, ClientStats>, clientId: number): ClientStats {
  return stats.get(clientId) ?? NO_STATS;
}

/** Every client with its counts and sync state. */
export async function listClientsWithCounts(db: Db): Promise<ClientSummary[]> {
  const [rows, stats, coverage] = await Promise.all([
    db
      .select({
        id: clients.id,
        name: clients.name,
        slug: clients.slug,
        active: clients.active,
        timeZone: clients.timeZone,
      })
      .from(clients)
      .orderBy(asc(clients.name), asc(clients.id)),
    loadClientStats(db),
    loadCoverageCounts(db),
  ]);
  return rows.map((c) => {
    const { lastRun, ...counts } = statsOf(stats, c.id);
    return {
      ...c,
      ...counts,
      lastRun: lastRun
        ? { status: lastRun.status, startedAt: lastRun.startedAt, finishedAt: lastRun.finishedAt, error: lastRun.error }
        : null,
      coverage: coverage.get(c.id) ?? null,
    };
  });
}

/** A timestamptz read through raw SQL comes back as a Date from some drivers and a string from others. */
function toDate(value: Date | string | null | undefined): Date | null {
  if (value == null) return null;
  return value instanceof Date ? value : new Date(value);
}
