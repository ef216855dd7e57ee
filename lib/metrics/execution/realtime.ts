import { sqlLiterals } from "@/lib/db/sql-literals";
import { pct } from "@/lib/metrics/compare";
import { isoTimeOrNull, num, queryRows, type Db } from "@/lib/db/database";
import { and, desc, eq, sql } from "drizzle-orm";
import { syncRuns } from "@/lib/db/schema";
import { UNFINISHED_STATUSES, WAITING_STATUSES, type ExecutionStatus } from "@/lib/core/vocabulary";
import { collectIntervalSeconds } from "@/lib/jobs/schedule";
import { isStale } from "@/lib/metrics/status/health";
import { lastSyncAtSql } from "@/lib/runs/last-sync";
import { loadClient, type ClientContext } from "./context";
import type { ExecutionQuery, Freshness, LiveExecution, QueueSeverity, RealtimeMetrics } from "./types";

/**
 * Queue depth at which severity turns warning (a full round of the client's capacity is
 * waiting) and critical (two rounds).
 */
export function queueThresholds(concurrencyLimit: number): { warning: number; critical: number } {
  const limit = Math.max(1, concurrencyLimit);
  return { warning: limit, critical: 2 * limit };
}

export function queueSeverity(depth: number, concurrencyLimit: number): QueueSeverity {
  const t = queueThresholds(concurrencyLimit);
  if (depth >= t.critical) return "critical";
  if (depth >= t.warning) return "warning";
  return "ok";
}

/** The newest successful sync of the client and the newest run of any outcome. */
export async function getFreshness(db: Db, opts: { clientId: number; now?: Date }): Promise<Freshness> {
  const now = opts.now ?? new Date();
  const isSync = and(eq(syncRuns.clientId, opts.clientId), eq(syncRuns.function, "sync-client"));
  const [[lastSuccess], [lastRun]] = await Promise.all([
    queryRows<{ at: Date | string | null }>(db, sql`select ${lastSyncAtSql(opts.clientId)} as at`),
    db
      .select({
        status: syncRuns.status,
        startedAt: syncRuns.startedAt,
        finishedAt: syncRuns.finishedAt,
        error: syncRuns.error,
      })
      .from(syncRuns)
      .where(isSync)
      .orderBy(desc(syncRuns.startedAt), desc(syncRuns.id))
      .limit(1),
  ]);
  const lastSyncAt = lastSuccess?.at ? new Date(lastSuccess.at) : null;
  const interval = collectIntervalSeconds(now);
  return {
    lastSyncAt: isoTimeOrNull(lastSyncAt),
    ageSeconds: lastSyncAt ? Math.max(0, Math.round((now.getTime() - lastSyncAt.getTime()) / 1000)) : null,
    stale: isStale(lastSyncAt, now, interval),
    collectIntervalSeconds: interval,
    lastRun: lastRun
      ? {
          status: lastRun.status,
          startedAt: lastRun.startedAt.toISOString(),
          finishedAt: isoTimeOrNull(lastRun.finishedAt),
          error: lastRun.error,
        }
      : null,
  };
}

interface LiveRow {
  n8n_execution_id: number | string;
  workflow_id: number;
  workflow_name: string;
  status: ExecutionStatus;
  since: Date | string | null;
  wait_till: Date | string | null;
}

function toLive(row: LiveRow, now: Date): LiveExecution {
  const since = isoTimeOrNull(row.since);
  return {
    executionId: Number(row.n8n_execution_id),
    workflowId: Number(row.workflow_id),
    workflowName: row.workflow_name,
    status: row.status,
    since,
    ageSeconds: since ? Math.max(0, Math.round((now.getTime() - Date.parse(since)) / 1000)) : null,
    waitTill: isoTimeOrNull(row.wait_till),
  };
}

// A queued (new) execution may have no started_at yet; first_seen_at is the best "since".
const LIVE_COLUMNS = sql`e.n8n_execution_id, e.workflow_id, w.name as workflow_name, e.status,
  coalesce(e.started_at, e.first_seen_at) as since, e.wait_till`;

/**
 * Running, waiting and queued production executions as the store holds them (so as of
 * the last sync; `freshness` says how old that is). Production only, like every other
 * figure: n8n's concurrency queue applies to production runs, not manual ones.
 */
export async function getRealtimeMetrics(
  db: Db,
  query: Pick<ExecutionQuery, "clientId" | "now"> & { client?: ClientContext },
): Promise<RealtimeMetrics> {
  const now = query.now ?? new Date();
  const { clientId } = query;
  // executions_unfinished_idx (partial on these statuses) serves all three.
  const unfinished = sql`e.client_id = ${clientId} and e.is_production and e.status in (${sqlLiterals(UNFINISHED_STATUSES)})`;
  const [client, counts, oldest, running, freshness] = await Promise.all([
    query.client ?? loadClient(db, clientId),
    queryRows<{ status: ExecutionStatus; n: number }>(
      db,
      sql`select e.status, count(*)::int as n from executions e where ${unfinished} group by e.status`,
    ),
    queryRows<LiveRow>(
      db,
      sql`select ${LIVE_COLUMNS} from executions e join workflows w on w.id = e.workflow_id
        where ${unfinished} and e.status in (${sqlLiterals(WAITING_STATUSES)})
        order by coalesce(e.started_at, e.first_seen_at) asc, e.id asc limit 1`,
    ),
    queryRows<LiveRow>(
      db,
      sql`select ${LIVE_COLUMNS} from executions e join workflows w on w.id = e.workflow_id
        where ${unfinished} and e.status = 'running'
        order by coalesce(e.started_at, e.first_seen_at) asc, e.id asc limit 20`,
    ),
    getFreshness(db, { clientId, now }),
  ]);

  const count = (status: ExecutionStatus) => num(counts.find((c) => c.status === status)?.n);
  const [runningCount, waiting, queued] = [count("running"), count("waiting"), count("new")];
  const depth = waiting + queued;
  return {
    clientId,
    asOf: now.toISOString(),
    running: runningCount,
    waiting,
    queued,
    queue: {
      depth,
      severity: queueSeverity(depth, client.concurrencyLimit),
      concurrencyLimit: client.concurrencyLimit,
      thresholds: queueThresholds(client.concurrencyLimit),
    },
    capacityPct: pct(runningCount, Math.max(1, client.concurrencyLimit)) ?? 0,
    oldestWaiting: oldest[0] ? toLive(oldest[0], now) : null,
    runningNow: running.map((r) => toLive(r, now)),
    freshness,
  };
}
