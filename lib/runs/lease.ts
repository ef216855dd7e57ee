import { HOUR_MS } from "@/lib/core/time";
import { and, eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/lib/db/database";
import { syncRuns } from "@/lib/db/schema";
import { env } from "@/lib/core/env";
import { describeError } from "@/lib/core/describe-error";

/**
 * The run lease. A running run's process writes heartbeat_at every RUN_HEARTBEAT_MS; a
 * run whose heartbeat is older than RUN_LEASE_MS belongs to a process that is gone
 * (killed, crashed, its machine lost), whether it was the server, an Inngest worker or
 * the CLI. Nobody is told when a process dies, so whoever looks next fails the run: the
 * next recordRun, the next server start, the status API.
 */
export const RUN_LEASE_MS = env.RUN_LEASE_SECONDS * 1000;
/** Six beats per lease: a busy database or event loop may miss a few without losing it. */
export const RUN_HEARTBEAT_MS = Math.max(1000, Math.floor(RUN_LEASE_MS / 6));

export interface ExpiryOptions {
  leaseMs?: number;
  /** Only this run (a status poll looks at one). */
  runId?: number;
  /** Only this client's runs (a client's run history). */
  clientId?: number;
}

/**
 * Fails running runs whose lease expired, with a message that says when their process
 * was last heard of. Rows from before the lease existed have no heartbeat: their start
 * counts. Queued runs have no process yet and no heartbeat: they fail once queued for
 * longer than QUEUED_RUN_TIMEOUT_MS (and at a server start, see failInterruptedRuns).
 * Returns how many runs it failed.
 */
export async function failExpiredRuns(db: Db, now: Date = new Date(), opts: ExpiryOptions = {}): Promise<number> {
  const lastSign = sql`coalesce(${syncRuns.heartbeatAt}, ${syncRuns.startedAt})`;
  const interrupted = await failRuns(db, now, opts, {
    status: "running",
    since: lastSign,
    olderThanMs: opts.leaseMs ?? RUN_LEASE_MS,
    // Sessions run in UTC (lib/db/database.ts), and so does the message.
    error: sql`'Interrupted: the process running it stopped (no heartbeat since ' || to_char(${lastSign} at time zone 'UTC', 'HH24:MI:SS') || ' UTC)'`,
  });
  // A run queued for Inngest (or another process) that nothing picked up: its event was
  // never delivered or its worker is gone. It fails with that reason rather than showing
  // "queued" forever; a worker that starts it later still can.
  const neverStarted = await failRuns(db, now, opts, {
    status: "queued",
    since: sql`${syncRuns.startedAt}`,
    olderThanMs: QUEUED_RUN_TIMEOUT_MS,
    error: sql`'Never started: queued at ' || to_char(${syncRuns.startedAt} at time zone 'UTC', 'HH24:MI') || ' UTC and not picked up within an hour. Check that the Inngest worker (or the scheduler) is running.'`,
  });
  return interrupted + neverStarted;
}

/** How long a queued run may wait for a worker before it is failed as never started. */
export const QUEUED_RUN_TIMEOUT_MS = HOUR_MS;

/** Fails the runs in `status` whose `since` is older than `olderThanMs`, with `error`. */
async function failRuns(
  db: Db,
  now: Date,
  opts: ExpiryOptions,
  rule: { status: "running" | "queued"; since: SQL; olderThanMs: number; error: SQL },
): Promise<number> {
  const cutoff = new Date(now.getTime() - rule.olderThanMs);
  // A Date compared with an expression has no column to encode it: postgres.js needs text.
  const filters: SQL[] = [eq(syncRuns.status, rule.status), sql`${rule.since} < ${cutoff.toISOString()}::timestamptz`];
  if (opts.runId !== undefined) filters.push(eq(syncRuns.id, opts.runId));
  if (opts.clientId !== undefined) filters.push(eq(syncRuns.clientId, opts.clientId));
  const rows = await db
    .update(syncRuns)
    .set({ status: "error", finishedAt: now, error: rule.error })
    .where(and(...filters))
    .returning({ id: syncRuns.id });
  return rows.length;
}

/**
 * Beats for one run until stopped. A failed beat is logged and the job goes on: the
 * database may be back by the next one, and a job must never fail for its bookkeeping.
 * Beats never overlap, and `save` (the run's progress so far) goes with each one, so a
 * page polling the run sees it move and a killed run keeps what it had counted.
 */
export function startHeartbeat(
  db: Db,
  runId: number,
  save: () => Partial<typeof syncRuns.$inferInsert> = () => ({}),
  intervalMs: number = RUN_HEARTBEAT_MS,
): { stop(): void } {
  let inFlight = false;
  const timer = setInterval(() => {
    if (inFlight) return;
    inFlight = true;
    db.update(syncRuns)
      .set({ ...save(), heartbeatAt: new Date() })
      // A run failed by the lease stays failed until its job writes the real outcome.
      .where(and(eq(syncRuns.id, runId), eq(syncRuns.status, "running")))
      .then(
        () => {},
        (err: unknown) => console.warn(`[runs] heartbeat of run ${runId} failed: ${describeError(err).message}`),
      )
      .finally(() => {
        inFlight = false;
      });
  }, intervalMs);
  // A CLI process must be able to exit while a beat is due.
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
