import { asc, eq } from "drizzle-orm";
import type { Db } from "@/lib/db/database";
import { clients } from "@/lib/db/schema";
import { type SyncTrigger } from "@/lib/core/vocabulary";
import { errorMessage } from "@/lib/runs/record";
import { syncClient } from "./sync-client";

export async function listActiveClientIds(db: Db): Promise<number[]> {
  const rows = await db
    .select({ id: clients.id })
    .from(clients)
    .where(eq(clients.active, true))
    .orderBy(asc(clients.id));
  return rows.map((r) => r.id);
}

export interface ClientSyncOutcome {
  clientId: number;
  ok: boolean;
  runId?: number;
  executionsNew?: number;
  error?: string;
}

/**
 * Syncs every active client in turn (the in-process scheduler and the CLI; Inngest fans
 * out one event per client instead). A client's failure is recorded in its own run and
 * never stops the others.
 */
export async function syncAllClients(db: Db, opts: { trigger: SyncTrigger }): Promise<ClientSyncOutcome[]> {
  const outcomes: ClientSyncOutcome[] = [];
  for (const clientId of await listActiveClientIds(db)) {
    try {
      const run = await syncClient(db, { clientId, trigger: opts.trigger });
      outcomes.push({ clientId, ok: true, runId: run.runId, executionsNew: run.executionsNew });
    } catch (err) {
      outcomes.push({ clientId, ok: false, error: errorMessage(err) });
    }
  }
  return outcomes;
}
