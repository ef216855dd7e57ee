import { isoTimeOrNull } from "@/lib/db/database";
import { asc, eq } from "drizzle-orm";
import type { Db } from "@/lib/db/database";
import { clients } from "@/lib/db/schema";
import { loadClientStats, statsOf } from "@/lib/metrics/status/client-stats";
import { createClient, updateClient } from "@/lib/clients/mutations";
import { storedFilterRules } from "@/lib/clients/rules";
import { AppError } from "@/lib/core/errors";
import type { AdminClient } from "./types";
import { toRunSummary } from "./run-view";

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
  timeZone: clients.timeZone,
  timeZoneFrom: clients.timeZoneFrom,
  createdAt: clients.createdAt,
  updatedAt: clients.updatedAt,
};

/** How a key is shown: its last characters behind dots, enough to tell two keys apart. */
export function maskedHint(hint: string): string | null {
  return hint ? `••••${hint}` : null;
}

/** Clients with counts and sync state (lib/metrics/status/client-stats.ts), optionally narrowed to one. */
async function loadAdminClients(db: Db, clientId?: number): Promise<AdminClient[]> {
  const [rows, stats] = await Promise.all([
    db
      .select(ADMIN_COLUMNS)
      .from(clients)
      .where(clientId === undefined ? undefined : eq(clients.id, clientId))
      .orderBy(asc(clients.name), asc(clients.id)),
    loadClientStats(db, clientId),
  ]);
  return rows.map(({ n8nApiKeyHint, filterRules, timeZoneFrom, createdAt, updatedAt, ...row }) => {
    const s = statsOf(stats, row.id);
    return {
      ...row,
      apiKeyHint: maskedHint(n8nApiKeyHint),
      filterRules: storedFilterRules(filterRules),
      counts: {
        workflows: s.workflowCount,
        executions: s.executionCount,
        productionExecutions: s.productionExecutionCount,
      },
      timeZoneFrom: isoTimeOrNull(timeZoneFrom),
      lastSyncAt: isoTimeOrNull(s.lastSyncAt),
      lastRun: s.lastRun ? toRunSummary(s.lastRun) : null,
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
