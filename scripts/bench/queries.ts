/**
 * The query benchmark (`npm run bench -- --only queries`): how fast the rollup endpoints
 * answer compared with the same answers computed from raw executions, measured in the
 * same run on the same data.
 *
 * 1. Seeds BENCH_QUERY_EXECUTIONS executions (default 5,000,000 on PostgreSQL) over 2
 *    years across 20 clients and 1,000 workflows by SQL (scripts/bench/seed-sql.ts) into a
 *    fresh database built by the real migrations (createServerDatabase(): a new database
 *    on DATABASE_URL's server, dropped at the end).
 * 2. Rolls them up with the real code, as the rollup job does: `refreshClients`
 *    (refreshRollups per client, two clients at a time). The seed's inserts
 *    queued every (client, workflow, hour) they touched, so draining the queue computes
 *    every hour, day, week and month bucket of the 2 years.
 * 3. For the largest client, times each endpoint BENCH_QUERY_ITERATIONS times (default
 *    30) after a warm-up, from rollups and from raw rows:
 *      overview 30d   getOverview        vs getLiveSummary (30d)
 *      series 30d     getSeries          vs getLiveSeries  (30d, daily)
 *      series 1y      getSeries          vs getLiveSeries  (365 days, monthly: auto's pick)
 *      latency 30d    getLatencyMetrics  vs percentile_cont over the raw rows of the range
 *      workflows 30d  getWorkflowPerformance vs per-workflow counts, average and p95 (range
 *                     and previous period)
 *      metrics/execution 24h  getExecutionMetrics vs the raw reads of its range figures
 *                     (hourly counts by status, and the latency twin); not a full twin:
 *                     no raw form of the patterns section exists
 *    Each row says whether it meets the fast-rollups issue's goals (p95 under 10 ms;
 *    raw/rollup at least 20× at 30 days, 100× at a year).
 *    Then the executions explorer's pages (scripts/bench/explorer.ts): each filter, a page
 *    10,000 rows deep and a CSV export, p50/p95.
 * 4. On PostgreSQL, the HTTP phase (scripts/bench/http-load.ts): `next start` on the same
 *    database, 50 connections for BENCH_HTTP_SECONDS (default 60) on overview and series
 *    with a global API token; requests/s, p50/p95/p99 and errors (goal: p95 under 150 ms,
 *    no errors). Needs `npm run build` first; BENCH_HTTP=0 skips it.
 *
 * Uncached and cached: the rollup answers go through the in-process metrics cache
 * (lib/metrics/cache.ts). `clearMetricsCache()` is called before every "rollup" call, so
 * each one misses and reads its rows; the cache's own cost (one data-version lookup in
 * data_versions) stays in the figure, as it would in production. "cached p95" repeats
 * the call with the cache warm: the bucket rows come from memory, the raw edges of the
 * range are still read (the latency row calls the section below its own answer cache,
 * so only its bucket rows are cached). The live endpoints are never cached.
 *
 * Without DATABASE_URL it runs on in-memory PGlite with a default of 200,000 executions:
 * 5 million would take far too long there, and PGlite's figures say little about a server.
 */
import { sql } from "drizzle-orm";
import { openDatabase, queryRows, type DatabaseHandle, type Db } from "@/lib/db/database";
import { refreshClients, ROLLUP_CONCURRENCY } from "@/lib/ingest/rollups";
import { clearMetricsCache } from "@/lib/metrics/cache";
import { getOverview } from "@/lib/metrics/overview";
import { getSeries } from "@/lib/metrics/series";
import { getLiveSeries, getLiveSummary } from "@/lib/metrics/live";
import { getLatencyMetrics } from "@/lib/metrics/execution/latency";
import { getExecutionMetrics } from "@/lib/metrics/execution";
import { getWorkflowPerformance } from "@/lib/metrics/workflows";
import type { ResolvedRange } from "@/lib/metrics/range";
import { resolveMetricsRange } from "@/lib/metrics/window";
import { createServerDatabase } from "@/test/helpers/db";
import { createApiToken } from "@/lib/accounts/tokens";
import { runHttpLoad } from "./http-load";
import { explorerCases } from "./explorer";
import { quantile } from "./quantile";
import { seedBenchData } from "./seed-sql";
import { DAY_MS } from "@/lib/core/time";

const log = (m: string) => console.error(m);

async function time(iterations: number, warmup: number, work: () => Promise<unknown>) {
  for (let i = 0; i < warmup; i++) await work();
  const ms: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t = performance.now();
    await work();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { p50: quantile(ms, 0.5), p95: quantile(ms, 0.95) };
}

/** Raw twin of getLatencyMetrics: exact percentiles per workflow and overall (percentile_cont), plus the previous period's p95 and average. */
async function rawLatency(db: Db, clientId: number, range: ResolvedRange) {
  // The same spans getLatencyMetrics reads: exactly the range and the previous period.
  const w = { from: range.start, to: range.end };
  const prev = { from: range.previous.start, to: range.previous.end };
  const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;
  return Promise.all([
    queryRows(
      db,
      sql`select e.workflow_id, count(e.duration_ms) as count, sum(e.duration_ms) as sum_ms,
        min(e.duration_ms) as min_ms, max(e.duration_ms) as max_ms,
        percentile_cont(array[0.5, 0.75, 0.9, 0.95, 0.99]::float8[]) within group (order by e.duration_ms) as pcts
      from executions e
      where e.client_id = ${clientId} and e.is_production and e.duration_ms is not null
        and e.started_at >= ${ts(w.from)} and e.started_at < ${ts(w.to)}
      group by grouping sets ((), (e.workflow_id))`,
    ),
    queryRows(
      db,
      sql`select count(*) as count, avg(e.duration_ms) as avg_ms,
        percentile_cont(0.95) within group (order by e.duration_ms) as p95
      from executions e
      where e.client_id = ${clientId} and e.is_production and e.duration_ms is not null
        and e.started_at >= ${ts(prev.from)} and e.started_at < ${ts(prev.to)}`,
    ),
  ]);
}

/** Raw twin of getWorkflowPerformance: per-workflow counts, rates, average and p95 over the range and the previous period. */
async function rawWorkflows(db: Db, clientId: number, range: ResolvedRange) {
  const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;
  const perWorkflow = (from: Date, to: Date) =>
    queryRows(
      db,
      sql`select e.workflow_id, count(*) as total,
        count(*) filter (where e.status = 'success') as success,
        count(*) filter (where e.status in ('error', 'crashed')) as failures,
        avg(e.duration_ms) as avg_ms,
        percentile_cont(0.95) within group (order by e.duration_ms) as p95
      from executions e
      where e.client_id = ${clientId} and e.is_production
        and e.started_at >= ${ts(from)} and e.started_at < ${ts(to)}
      group by e.workflow_id`,
    );
  return Promise.all([perWorkflow(range.start, range.end), perWorkflow(range.previous.start, range.previous.end)]);
}

/** Raw reads of the execution dashboard's range figures: hourly counts by status and the latency twin. */
async function rawExecution(db: Db, clientId: number, range: ResolvedRange) {
  const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;
  return Promise.all([
    queryRows(
      db,
      sql`select date_trunc('hour', e.started_at) as hour, e.status, count(*) as n
      from executions e
      where e.client_id = ${clientId} and e.is_production
        and e.started_at >= ${ts(range.start)} and e.started_at < ${ts(range.end)}
      group by 1, 2`,
    ),
    rawLatency(db, clientId, range),
  ]);
}

export async function runQueryBenchmark(): Promise<void> {
  const onPostgres = Boolean(process.env.DATABASE_URL);
  const size = Number(process.env.BENCH_QUERY_EXECUTIONS ?? (onPostgres ? 5_000_000 : 200_000));
  const iterations = Number(process.env.BENCH_QUERY_ITERATIONS ?? 30);
  const warmup = 3;
  if (!onPostgres) {
    log(
      "Query benchmark: DATABASE_URL is not set, so this runs on in-memory PGlite with " +
        `${size.toLocaleString("en-US")} executions (BENCH_QUERY_EXECUTIONS). The 5 million of ` +
        "issue 3 need PostgreSQL: set DATABASE_URL=postgres://… for the real figures.",
    );
  }
  // On PostgreSQL the database has a URL, which the HTTP phase's `next start` opens too.
  const server = onPostgres ? await createServerDatabase() : null;
  const handle: DatabaseHandle = server
    ? await openDatabase({ kind: "postgres", url: server.url, max: 4 })
    : await openDatabase({ kind: "pglite", dataDir: null });
  try {
    const db = handle.db;
    log(`Query benchmark on ${handle.driver}: seeding ${size.toLocaleString("en-US")} executions…`);
    const seed = await seedBenchData(db, { executions: size, clients: 20, workflows: 1000, days: 730, log });
    log(`  seeded in ${(seed.ms / 1000).toFixed(1)} s`);

    log(`Rolling up (refreshClients: refreshRollups per client, ${ROLLUP_CONCURRENCY} at a time, as the rollup job)…`);
    const rollStarted = performance.now();
    const r = await refreshClients(db, seed.clientIds);
    const levels = {
      hour: r.hourBuckets,
      day: r.dayBuckets,
      week: r.weekBuckets,
      month: r.monthBuckets,
      keys: r.keysDrained,
    };
    const rollupMs = performance.now() - rollStarted;
    await db.execute(sql`analyze`);
    log(
      `  rolled up in ${(rollupMs / 1000).toFixed(1)} s: ${levels.keys.toLocaleString("en-US")} queued (workflow, hour) keys, ` +
        `buckets hour ${levels.hour.toLocaleString("en-US")}, day ${levels.day.toLocaleString("en-US")}, ` +
        `week ${levels.week.toLocaleString("en-US")}, month ${levels.month.toLocaleString("en-US")}`,
    );

    // The largest client: the worst case for both sides.
    const [top] = await queryRows<{ client_id: number; n: number }>(
      db,
      sql`select client_id, count(*)::int as n from executions group by 1 order by 2 desc limit 1`,
    );
    const clientId = Number(top.client_id);
    const now = new Date();
    const d30 = { timeframe: "30d" as const };
    const y1 = { start: new Date(now.getTime() - 365 * DAY_MS), end: now };
    const [inRange] = await queryRows<{ d30: number; y1: number }>(
      db,
      sql`select count(*) filter (where started_at >= now() - interval '30 days')::int as d30,
        count(*) filter (where started_at >= now() - interval '365 days')::int as y1
      from executions where client_id = ${clientId}`,
    );
    log(
      `Timing client ${clientId} (${Number(top.n).toLocaleString("en-US")} executions; ` +
        `${Number(inRange.d30).toLocaleString("en-US")} in 30 days, ${Number(inRange.y1).toLocaleString("en-US")} in a year), ` +
        `${iterations} iterations after ${warmup} warm-up…`,
    );

    const latencyRange = resolveMetricsRange(d30, now);
    const executionRange = resolveMetricsRange({ timeframe: "24h" }, now);
    // Goals of the fast-rollups issue: raw/rollup at least 20× at 30 days, 100× at a year.
    const cases: Array<{
      endpoint: string;
      source: string;
      aim?: number;
      rollup: () => Promise<unknown>;
      /** The same call with the cache warm: what a repeated request costs. */
      cached?: () => Promise<unknown>;
      raw: () => Promise<unknown>;
    }> = [
      {
        endpoint: "overview 30d",
        aim: 20,
        source: resolveMetricsRange(d30, now).granularity,
        rollup: () => (clearMetricsCache(), getOverview(db, { clientId, range: d30, now })),
        cached: () => getOverview(db, { clientId, range: d30, now }),
        raw: () => getLiveSummary(db, { clientId, range: d30, now }),
      },
      {
        endpoint: "series 30d",
        aim: 20,
        source: resolveMetricsRange(d30, now).granularity,
        rollup: () => (clearMetricsCache(), getSeries(db, { clientId, range: d30, now })),
        cached: () => getSeries(db, { clientId, range: d30, now }),
        raw: () => getLiveSeries(db, { clientId, range: d30, now }),
      },
      {
        endpoint: "series 1y",
        aim: 100,
        source: resolveMetricsRange(y1, now).granularity,
        rollup: () => (clearMetricsCache(), getSeries(db, { clientId, range: y1, now })),
        cached: () => getSeries(db, { clientId, range: y1, now }),
        raw: () => getLiveSeries(db, { clientId, range: y1, now }),
      },
      {
        endpoint: "latency 30d",
        aim: 20,
        source: latencyRange.granularity,
        rollup: () => (clearMetricsCache(), getLatencyMetrics(db, { clientId, range: latencyRange, now })),
        cached: () => getLatencyMetrics(db, { clientId, range: latencyRange, now }),
        raw: () => rawLatency(db, clientId, latencyRange),
      },
      {
        endpoint: "workflows 30d",
        aim: 20,
        source: resolveMetricsRange(d30, now).granularity,
        rollup: () => (clearMetricsCache(), getWorkflowPerformance(db, { clientId, range: d30, now })),
        cached: () => getWorkflowPerformance(db, { clientId, range: d30, now }),
        raw: () => rawWorkflows(db, clientId, resolveMetricsRange(d30, now)),
      },
      {
        endpoint: "metrics/execution 24h",
        source: executionRange.granularity,
        rollup: () => (clearMetricsCache(), getExecutionMetrics(db, { clientId, range: executionRange, now })),
        cached: () => getExecutionMetrics(db, { clientId, range: executionRange, now }),
        raw: () => rawExecution(db, clientId, executionRange),
      },
    ];

    const rows = [];
    for (const c of cases) {
      log(`  ${c.endpoint}…`);
      const rollup = await time(iterations, warmup, c.rollup);
      const raw = await time(iterations, warmup, c.raw);
      const cached = c.cached ? await time(iterations, warmup, c.cached) : null;
      rows.push({
        endpoint: c.endpoint,
        source: c.source,
        "rollup p50 ms": +rollup.p50.toFixed(1),
        "rollup p95 ms": +rollup.p95.toFixed(1),
        "cached p95 ms": cached ? +cached.p95.toFixed(2) : "-",
        "raw p50 ms": +raw.p50.toFixed(1),
        "raw p95 ms": +raw.p95.toFixed(1),
        "speed-up (raw/rollup p50)": +(raw.p50 / rollup.p50).toFixed(1),
        "goal p95<10ms": rollup.p95 < 10 ? "met" : "missed",
        "goal raw/rollup": c.aim ? (raw.p50 / rollup.p50 >= c.aim ? `met (${c.aim}×)` : `missed (${c.aim}×)`) : "-",
      });
    }
    console.log(
      `\nQuery benchmark, ${handle.driver}: ${size.toLocaleString("en-US")} executions, seed ` +
        `${(seed.ms / 1000).toFixed(1)} s, rollup ${(rollupMs / 1000).toFixed(1)} s, client ${clientId} ` +
        `(${Number(top.n).toLocaleString("en-US")} executions)`,
    );
    console.table(rows);

    log("Executions explorer pages…");
    const explorer = [];
    for (const c of await explorerCases(db, clientId, now)) {
      const t = await time(iterations, warmup, c.run);
      explorer.push({ page: c.name, "p50 ms": +t.p50.toFixed(1), "p95 ms": +t.p95.toFixed(1) });
    }
    console.log(`\nExecutions explorer (listExecutions), client ${clientId}, ${iterations} iterations`);
    console.table(explorer);

    if (server && process.env.BENCH_HTTP !== "0") {
      const { token } = await createApiToken(db, { name: "bench" }, null);
      const seconds = Number(process.env.BENCH_HTTP_SECONDS ?? 60);
      const http = await runHttpLoad({
        databaseUrl: server.url,
        token,
        seconds,
        connections: 50,
        cases: [
          { name: "overview 30d", path: `/api/v1/metrics/overview?clientId=${clientId}&timeframe=30d` },
          { name: "series 30d", path: `/api/v1/metrics/series?clientId=${clientId}&timeframe=30d` },
        ],
      });
      if (http) {
        console.log(`\nHTTP load: next start, 50 connections, ${seconds} s per endpoint, global API token`);
        console.table(http);
      }
    } else if (!server) {
      log("HTTP phase skipped: it needs DATABASE_URL (next start opens the benchmark's database).");
    }
  } finally {
    await handle.close();
    await server?.drop();
  }
}
