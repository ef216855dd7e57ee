import { sql } from "drizzle-orm";
import { defaultOpenOptions, type Db } from "@/lib/db/database";
import { describeScheduler, type SchedulerStatus } from "@/lib/jobs/scheduler";
import { collectIntervalSeconds } from "@/lib/jobs/schedule";
import { listClientsWithCounts, type ClientSummary } from "./client-stats";

export interface ClientHealth {
  id: number;
  name: string;
  slug: string;
  lastSuccessAt: Date | null;
  lastRun: ClientSummary["lastRun"];
  /** Seconds since the last successful sync; null when it never succeeded. */
  ageSeconds: number | null;
  stale: boolean;
  executionCount: number;
  /** Ids seen, missing, still to read or ask for, running now, and the share collected. */
  coverage: ClientSummary["coverage"];
}

export interface Health {
  status: "ok" | "degraded";
  checkedAt: Date;
  database: { ok: true; driver: "pglite" | "postgres"; latencyMs: number };
  scheduler: SchedulerStatus & { collectIntervalSeconds: number };
  clients: ClientHealth[];
}

/**
 * Data is stale when no sync succeeded within two collect intervals: one missed collect
 * can be a slow n8n, two mean collection is not happening. Never synced counts as stale.
 */
export function isStale(lastSuccessAt: Date | null, now: Date, intervalSeconds: number): boolean {
  if (!lastSuccessAt) return true;
  return now.getTime() - lastSuccessAt.getTime() > 2 * intervalSeconds * 1000;
}

/**
 * Database, scheduler and per-client freshness. Degraded when an active client is
 * stale or its newest sync failed; the caller answers 503 only when the database itself
 * cannot be opened.
 */
export async function getHealth(db: Db, opts: { driver?: "pglite" | "postgres"; now?: Date } = {}): Promise<Health> {
  const now = opts.now ?? new Date();
  const started = performance.now();
  await db.execute(sql`select 1`);
  const latencyMs = Math.round(performance.now() - started);

  const interval = collectIntervalSeconds(now);
  const active = (await listClientsWithCounts(db)).filter((c) => c.active);
  const clients: ClientHealth[] = active.map((c) => ({
    id: c.id,
    name: c.name,
    slug: c.slug,
    lastSuccessAt: c.lastSyncAt,
    lastRun: c.lastRun,
    ageSeconds: c.lastSyncAt ? Math.max(0, Math.round((now.getTime() - c.lastSyncAt.getTime()) / 1000)) : null,
    stale: isStale(c.lastSyncAt, now, interval),
    executionCount: c.executionCount,
    coverage: c.coverage,
  }));

  const degraded = clients.some((c) => c.stale || c.lastRun?.status === "error");
  return {
    status: degraded ? "degraded" : "ok",
    checkedAt: now,
    // The process-wide database follows defaultOpenOptions, so that names its driver.
    database: { ok: true, driver: opts.driver ?? defaultOpenOptions().kind, latencyMs },
    scheduler: { ...describeScheduler(now), collectIntervalSeconds: interval },
    clients,
  };
}
