import { statfs } from "node:fs/promises";
import { monitorEventLoopDelay, type IntervalHistogram } from "node:perf_hooks";
import { sql } from "drizzle-orm";
import { databaseKind, queryRows, type Db } from "@/lib/db/database";
import { FLOWSCOPE_METRICS } from "./names";
import type { MetricPoint, SystemMetricView } from "./point";
import { readQueueStatus } from "./queue";
import { insertMetricPoints, toMetricViewOf } from "./store";

export interface ProcessStatus {
  pid: number;
  node: string;
  uptimeSeconds: number;
  /** CPU time since the previous sample, in percent of one core; null before the first. */
  cpuPercent: number | null;
  rssBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  eventLoopLagMs: { mean: number; p99: number; max: number } | null;
}

export interface DatabaseStatus {
  driver: "pglite" | "postgres";
  sizeBytes: number | null;
  connections: number | null;
  largestTables: Array<{ table: string; bytes: number }>;
  /** Free space where the embedded database lives; null on a server (its disk is not ours to see). */
  diskFreeBytes: number | null;
  diskPath: string | null;
}

const LARGEST_TABLES = 5;

// Process-wide: the event-loop histogram and the CPU reading are about this process, not a database.
const STATE = Symbol.for("flowscope.resourceState");
interface ResourceState {
  loop: IntervalHistogram;
  cpu: { at: number; usage: NodeJS.CpuUsage } | null;
}
type WithState = typeof globalThis & { [STATE]?: ResourceState };

function state(): ResourceState {
  const g = globalThis as WithState;
  if (!g[STATE]) {
    const loop = monitorEventLoopDelay({ resolution: 20 });
    loop.enable();
    g[STATE] = { loop, cpu: null };
  }
  return g[STATE];
}

const NS_PER_MS = 1e6;

function eventLoopLag(loop: IntervalHistogram): ProcessStatus["eventLoopLagMs"] {
  if (loop.count === 0) return null;
  return { mean: loop.mean / NS_PER_MS, p99: loop.percentile(99) / NS_PER_MS, max: loop.max / NS_PER_MS };
}

/**
 * The process now. `advance` starts the next interval (the sampler's reading); the
 * status page reads without it, so looking never shortens the sampler's interval.
 */
function readProcess(advance: boolean): ProcessStatus {
  const s = state();
  const now = performance.now();
  const usage = process.cpuUsage();
  let cpuPercent: number | null = null;
  if (s.cpu && now > s.cpu.at) {
    const usedMicros = usage.user - s.cpu.usage.user + (usage.system - s.cpu.usage.system);
    cpuPercent = (usedMicros / 1000 / (now - s.cpu.at)) * 100;
  }
  const memory = process.memoryUsage();
  const lag = eventLoopLag(s.loop);
  if (advance || !s.cpu) s.cpu = { at: now, usage };
  if (advance) s.loop.reset();
  return {
    pid: process.pid,
    node: process.version,
    uptimeSeconds: Math.round(process.uptime()),
    cpuPercent,
    rssBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
    heapTotalBytes: memory.heapTotal,
    eventLoopLagMs: lag,
  };
}

async function readDatabase(db: Db): Promise<DatabaseStatus> {
  const kind = databaseKind(db);
  const [size, connections, tables, disk] = await Promise.all([
    queryRows<{ bytes: string | number }>(db, sql`select pg_database_size(current_database()) as bytes`),
    queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from pg_stat_activity where datname = current_database()`,
    ),
    // Partitions count with their table: executions is one table to whoever reads this.
    queryRows<{ table: string; bytes: string | number }>(
      db,
      sql`select coalesce(parent.relname, c.relname) as "table", sum(pg_total_relation_size(c.oid))::bigint as bytes
        from pg_class c
        join pg_namespace n on n.oid = c.relnamespace
        left join pg_inherits i on i.inhrelid = c.oid
        left join pg_class parent on parent.oid = i.inhparent
        where n.nspname = 'public' and c.relkind = 'r'
        group by 1 order by 2 desc limit ${LARGEST_TABLES}`,
    ),
    kind?.dataDir ? statfs(kind.dataDir).catch(() => null) : Promise.resolve(null),
  ]);
  return {
    driver: kind?.driver ?? "postgres",
    sizeBytes: size[0] ? Number(size[0].bytes) : null,
    // PGlite is one connection inside this process, whatever pg_stat_activity says.
    connections: kind?.driver === "pglite" ? 1 : (connections[0]?.n ?? null),
    largestTables: tables.map((t) => ({ table: t.table, bytes: Number(t.bytes) })),
    diskFreeBytes: disk ? disk.bavail * disk.bsize : null,
    diskPath: disk ? (kind?.dataDir ?? null) : null,
  };
}

/** The process and the database now, for GET /api/v1/system/status; nothing is stored. */
export async function readResourceStatus(db: Db): Promise<{ process: ProcessStatus; database: DatabaseStatus }> {
  return { process: readProcess(false), database: await readDatabase(db) };
}

/**
 * One sample of every resource series (lib/telemetry/names.ts), as points at `at`. The
 * sampler's reading starts the next CPU and event-loop interval; one asked for between
 * (`advance: false`, POST /collect) reads the interval so far and leaves it running, so a
 * lag spike still reaches the sampler's next point.
 */
export async function sampleResources(
  db: Db,
  { at = new Date(), advance = true }: { at?: Date; advance?: boolean } = {},
): Promise<MetricPoint[]> {
  const [database, queue] = await Promise.all([readDatabase(db), readQueueStatus(db)]);
  const proc = readProcess(advance);
  const m = FLOWSCOPE_METRICS;
  const point = (metric: (typeof m)[keyof typeof m], value: number, labels: Record<string, string> = {}) => ({
    type: metric.type,
    name: metric.name,
    unit: metric.unit,
    value,
    labels,
    at,
  });
  const points: MetricPoint[] = [point(m.rss, proc.rssBytes), point(m.heapUsed, proc.heapUsedBytes)];
  if (proc.cpuPercent !== null) points.push(point(m.cpu, proc.cpuPercent));
  if (proc.eventLoopLagMs) {
    for (const [stat, ms] of Object.entries(proc.eventLoopLagMs)) points.push(point(m.eventLoopLag, ms, { stat }));
  }
  if (database.connections !== null) points.push(point(m.dbConnections, database.connections));
  if (database.sizeBytes !== null) points.push(point(m.dbSize, database.sizeBytes));
  for (const t of database.largestTables) points.push(point(m.dbTableSize, t.bytes, { table: t.table }));
  if (database.diskFreeBytes !== null && database.diskPath)
    points.push(point(m.diskFree, database.diskFreeBytes, { path: database.diskPath }));
  for (const f of queue.byFunction) {
    points.push(point(m.queueDepth, f.queued, { function: f.function, state: "queued" }));
    points.push(point(m.queueDepth, f.running, { function: f.function, state: "running" }));
  }
  return points;
}

/** POST /api/v1/system-metrics/collect: a sample now, stored at once (not buffered), answered as stored. */
export async function collectResourcesNow(db: Db): Promise<SystemMetricView[]> {
  const points = await sampleResources(db, { advance: false });
  const ids = await insertMetricPoints(db, points);
  return points.map((p, i) => toMetricViewOf(ids[i], p));
}
