/**
 * GET /api/v1/system/status: Flowscope's state now, read when asked and stored nowhere:
 * the process and the database, the run queue, the scheduler, the metric recorder, the
 * newest run of each function and the slowest runs of the last day.
 */
import { and, desc, eq, gte, inArray, isNotNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db/database";
import { syncRuns, type SyncRun } from "@/lib/db/schema";
import { SYNC_FUNCTIONS, SYNC_STATUSES, SYNC_TRIGGERS } from "@/lib/core/vocabulary";
import { DAY_MS } from "@/lib/core/time";
import { failExpiredRuns } from "@/lib/runs/lease";
import { readResourceStatus } from "@/lib/telemetry/resources";
import { readQueueStatus } from "@/lib/telemetry/queue";
import { metricRecorder } from "@/lib/telemetry/recorder";
import { describeScheduler } from "@/lib/jobs/scheduler";

const SLOWEST_RUNS = 10;

const StatusRun = z.object({
  id: z.number().int(),
  function: z.enum(SYNC_FUNCTIONS),
  trigger: z.enum(SYNC_TRIGGERS),
  clientId: z.number().int().nullable(),
  status: z.enum(SYNC_STATUSES),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  /** Null while queued or running. */
  durationMs: z.number().nullable(),
  error: z.string().nullable(),
  /** The run's task page. */
  href: z.string(),
});
export type StatusRun = z.infer<typeof StatusRun>;

const nullableNumber = z.number().nullable();

export const SystemStatusResponse = z.object({
  at: z.string(),
  process: z.object({
    pid: z.number().int(),
    node: z.string(),
    uptimeSeconds: z.number(),
    cpuPercent: nullableNumber,
    rssBytes: z.number(),
    heapUsedBytes: z.number(),
    heapTotalBytes: z.number(),
    eventLoopLagMs: z.object({ mean: z.number(), p99: z.number(), max: z.number() }).nullable(),
  }),
  database: z.object({
    driver: z.enum(["pglite", "postgres"]),
    sizeBytes: nullableNumber,
    connections: nullableNumber,
    largestTables: z.array(z.object({ table: z.string(), bytes: z.number() })),
    diskFreeBytes: nullableNumber,
    diskPath: z.string().nullable(),
  }),
  queue: z.object({
    queued: z.number().int(),
    running: z.number().int(),
    oldestQueuedAt: z.string().nullable(),
    byFunction: z.array(
      z.object({
        function: z.string(),
        queued: z.number().int(),
        running: z.number().int(),
        oldestQueuedAt: z.string().nullable(),
      }),
    ),
    inngest: z.object({ configured: z.boolean(), note: z.string() }),
  }),
  scheduler: z.object({
    mode: z.enum(["inngest", "in-process", "off"]),
    running: z.boolean(),
    timezone: z.string(),
    jobs: z.array(z.object({ name: z.string(), cron: z.string(), nextRunAt: z.string().nullable() })),
  }),
  recorder: z.object({
    recorded: z.number().int(),
    written: z.number().int(),
    buffered: z.number().int(),
    failedWrites: z.number().int(),
    dropped: z.number().int(),
    lastError: z.string().nullable(),
    lastErrorAt: z.string().nullable(),
  }),
  /** The newest run of each function that has run. */
  lastRuns: z.array(StatusRun),
  /** The longest runs that finished in the last 24 hours, longest first. */
  slowestRuns: z.array(StatusRun),
});
export type SystemStatusResponse = z.infer<typeof SystemStatusResponse>;

type RunRow = Pick<
  SyncRun,
  "id" | "function" | "trigger" | "clientId" | "status" | "startedAt" | "finishedAt" | "error"
>;

const RUN_COLUMNS = {
  id: syncRuns.id,
  function: syncRuns.function,
  trigger: syncRuns.trigger,
  clientId: syncRuns.clientId,
  status: syncRuns.status,
  startedAt: syncRuns.startedAt,
  finishedAt: syncRuns.finishedAt,
  error: syncRuns.error,
};

function toStatusRun(run: RunRow): StatusRun {
  return {
    id: run.id,
    function: run.function,
    trigger: run.trigger,
    clientId: run.clientId,
    status: run.status,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt ? run.finishedAt.toISOString() : null,
    // As the task page counts it (lib/metrics/status/run-view.ts): from start to finish, none while queued or running.
    durationMs: run.finishedAt && run.status !== "queued" ? run.finishedAt.getTime() - run.startedAt.getTime() : null,
    error: run.error,
    href: `/admin/tasks/${run.id}`,
  };
}

async function lastRuns(db: Db): Promise<StatusRun[]> {
  // One indexed look-up per function rather than a scan of the whole ledger.
  const rows = await Promise.all(
    SYNC_FUNCTIONS.map((fn) =>
      db
        .select(RUN_COLUMNS)
        .from(syncRuns)
        .where(eq(syncRuns.function, fn))
        .orderBy(desc(syncRuns.startedAt), desc(syncRuns.id))
        .limit(1),
    ),
  );
  return rows.flat().map(toStatusRun);
}

async function slowestRuns(db: Db, now: Date): Promise<StatusRun[]> {
  const rows = await db
    .select(RUN_COLUMNS)
    .from(syncRuns)
    .where(
      and(
        inArray(syncRuns.status, ["success", "error"]),
        isNotNull(syncRuns.finishedAt),
        gte(syncRuns.finishedAt, new Date(now.getTime() - DAY_MS)),
      ),
    )
    .orderBy(sql`${syncRuns.finishedAt} - ${syncRuns.startedAt} desc`, desc(syncRuns.id))
    .limit(SLOWEST_RUNS);
  return rows.map(toStatusRun);
}

/** GET /api/v1/system/status. */
export async function getSystemStatus(db: Db, now: Date = new Date()): Promise<SystemStatusResponse> {
  // A run whose process died would otherwise show as running here forever.
  await failExpiredRuns(db, now);
  const [resources, queue, last, slowest] = await Promise.all([
    readResourceStatus(db),
    readQueueStatus(db),
    lastRuns(db),
    slowestRuns(db, now),
  ]);
  return {
    at: now.toISOString(),
    process: resources.process,
    database: resources.database,
    queue,
    scheduler: describeScheduler(now),
    recorder: { ...metricRecorder(db).stats },
    lastRuns: last,
    slowestRuns: slowest,
  };
}
