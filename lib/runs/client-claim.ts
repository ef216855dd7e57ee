import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/database";
import { clients } from "@/lib/db/schema";
import { AppError } from "@/lib/core/errors";
import { RUN_LEASE_MS } from "./lease";

/**
 * One sync of a client at a time across processes: the server, the CLI beside it on
 * PostgreSQL, replicas. withClientLock orders jobs within a process; this claim, one
 * conditional UPDATE of the client's row, orders processes. It is free when no run holds
 * it or the holder is no longer running with a live lease (a killed process frees it
 * when its lease expires). Two claimants race on the row lock and the second sees the first.
 */
export async function claimClientSync(db: Db, clientId: number, runId: number, now: Date = new Date()): Promise<void> {
  const alive = new Date(now.getTime() - RUN_LEASE_MS).toISOString();
  const claimed = await db
    .update(clients)
    .set({ syncRunId: runId })
    .where(
      and(
        eq(clients.id, clientId),
        sql`(${clients.syncRunId} is null or ${clients.syncRunId} = ${runId} or not exists (
          select 1 from sync_runs r where r.id = ${clients.syncRunId} and r.status = 'running'
            and coalesce(r.heartbeat_at, r.started_at) >= ${alive}::timestamptz))`,
      ),
    )
    .returning({ id: clients.id });
  if (claimed.length > 0) return;
  const [holder] = await db.select({ runId: clients.syncRunId }).from(clients).where(eq(clients.id, clientId));
  throw new AppError(
    "conflict",
    `Another sync of this client is running (run #${holder?.runId ?? "?"}, in another process); this one did nothing and the next one will go on.`,
  );
}

/** Frees the claim, if this run still holds it. */
export async function releaseClientSync(db: Db, clientId: number, runId: number): Promise<void> {
  await db
    .update(clients)
    .set({ syncRunId: null })
    .where(and(eq(clients.id, clientId), eq(clients.syncRunId, runId)));
}
