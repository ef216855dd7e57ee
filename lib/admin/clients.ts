import { and, asc, count, desc, eq, max, sql, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { Db } from "@/lib/db/client";
import { clients, executions, syncRuns, workflows } from "@/lib/db/schema";
import { createClient, updateClient } from "@/lib/clients/mutations";
import { storedFilterRules } from "@/lib/classify/rules";
import { AppError } from "@/lib/errors";
import type { AdminClient } from "./types";
import { isoOrNull, toRunSummary } from "./run-view";

/** The admin columns. Explicit, so the key's ciphertext can never ride along into an answer. */
const ADMIN_COLUMNS = {
  id: clients.id,
  name: clients.name,
  slug: clients.slug,
  n8nBaseUrl: clients.n8nBaseUrl,
  n8nApiKeyHint: clients.n8nApiKeyHint,
  active: clients.active,
  concurrencyLimit: clients.concurrencyLimit,
  defaultMinutesSaved: clients.defaultMinutesSaved,
  filterRules: clients.filterRules,
  createdAt: clients.createdAt,
  updatedAt: clients.updatedAt,
};

/** How a key is shown: its last characters behind dots, enough to tell two keys apart. */
export function maskedHint(hint: string): string | null {
  return hint ? `••••${hint}` : null;
}

const isSync = eq(syncRuns.function, "sync-client");

/**
 * Clients with counts and sync state: the rows and four grouped queries in one Promise.all, whatever
 * the number of clients, optionally narrowed to one client.
 */
async function loadAdminClients(db: Db, clientId?: number): Promise<AdminClient[]> {
  // No filter for the list; one client's rows for its page.
  const only = (column: PgColumn, extra?: SQL) =>
    and(clientId === undefined ? undefined : eq(column, clientId), extra);
  const [rows, workflowCounts, executionCounts, lastSuccess, lastRuns] = await Promise.all([
    db.select(ADMIN_COLUMNS).from(clients).where(only(clients.id)).orderBy(asc(clients.name), asc(clients.id)),
    db.select({ clientId: workflows.clientId, n: count() }).from(workflows).where(only(workflows.clientId)).groupBy(workflows.clientId),
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
      .select({ clientId: syncRuns.clientId, at: max(syncRuns.finishedAt) })
      .from(syncRuns)
      .where(only(syncRuns.clientId, and(isSync, eq(syncRuns.status, "success"))))
      .groupBy(syncRuns.clientId),
    // Newest sync per client; served by sync_runs_client_started_idx.
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
      .where(only(syncRuns.clientId, isSync))
      .orderBy(syncRuns.clientId, desc(syncRuns.startedAt), desc(syncRuns.id)),
  ]);
  const by = <T extends { clientId: number | null }>(list: T[]) => new Map(list.map((r) => [r.clientId, r] as const));
  const wf = by(workflowCounts);
  const ex = by(executionCounts);
  const ok = by(lastSuccess);
  const last = by(lastRuns);
  return rows.map(({ n8nApiKeyHint, filterRules, createdAt, updatedAt, ...row }) => {
    const run = last.get(row.id);
    return {
      ...row,
      apiKeyHint: maskedHint(n8nApiKeyHint),
      filterRules: storedFilterRules(filterRules),
      counts: {
        workflows: wf.get(row.id)?.n ?? 0,
        executions: ex.get(row.id)?.n ?? 0,
        productionExecutions: ex.get(row.id)?.production ?? 0,
      },
      lastSyncAt: isoOrNull(ok.get(row.id)?.at),
      lastRun: run ? toRunSummary(run) : null,
      createdAt: createdAt.toISOString(),
      updatedAt: updatedAt.toISOString(),
    };
  });
}

export function listAdminClients(db: Db): Promise<AdminClient[]> {
  return loadAdminClients(db);
}

export async function getAdminClient(db: Db, clientId: number): Promise<AdminClient> {
  const [row] = await loadAdminClients(db, clientId);
  if (!row) throw new AppError("not_found", `Client ${clientId} not found`);
  return row;
}

/** Creates a client (the key is encrypted by lib/clients) and answers its admin view. */
export async function createAdminClient(db: Db, input: unknown): Promise<AdminClient> {
  const row = await createClient(db, input);
  return getAdminClient(db, row.id);
}

/** PATCH: only the given fields change; `active: false` deactivates, a new key replaces the old. */
export async function updateAdminClient(db: Db, clientId: number, input: unknown): Promise<AdminClient> {
  await updateClient(db, clientId, input);
  return getAdminClient(db, clientId);
}
