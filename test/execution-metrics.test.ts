import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { queryRows, type DatabaseHandle } from "@/lib/db/database";
import { syncRuns, type NewExecution } from "@/lib/db/schema";
import { refreshRollups } from "@/lib/ingest/rollups";
import { resolveRange } from "@/lib/metrics/range";
import {
  getPerformanceMetrics,
  LATENCY_BANDS,
  queueSeverity,
  type ExecutionMetrics,
  type LatencyMetrics,
  type PatternMetrics,
  type PerformanceMetrics,
  type RealtimeMetrics,
  type ThroughputMetrics,
} from "@/lib/metrics/execution";
import { GET as getAll } from "@/app/api/v1/metrics/execution/route";
import { GET as getRealtime } from "@/app/api/v1/metrics/execution/realtime/route";
import { GET as getThroughput } from "@/app/api/v1/metrics/execution/throughput/route";
import { GET as getLatency } from "@/app/api/v1/metrics/execution/latency/route";
import { GET as getPerformance } from "@/app/api/v1/metrics/execution/performance/route";
import { GET as getPatterns } from "@/app/api/v1/metrics/execution/patterns/route";
import { createTestDatabase } from "./helpers/db";
import { createClient, createWorkflow, insertExecutions } from "./helpers/factories";
import { callRoute, useAsAppDatabase } from "./helpers/app-db";

type Route = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
const ROUTES: Record<string, Route> = {
  "": getAll,
  realtime: getRealtime,
  throughput: getThroughput,
  latency: getLatency,
  performance: getPerformance,
  patterns: getPatterns,
};

async function call(section: string, params: Record<string, string | number>) {
  const qs = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));
  const path = section ? `/${section}` : "";
  const res = await callRoute(ROUTES[section], `/api/v1/metrics/execution${path}?${qs}`);
  const text = await res.text();
  const isJson = res.headers.get("content-type")?.includes("json");
  return { status: res.status, headers: res.headers, text, body: isJson ? JSON.parse(text) : null };
}

async function json<T>(section: string, params: Record<string, string | number>): Promise<T> {
  const res = await call(section, params);
  expect(res.status, res.text).toBe(200);
  return res.body as T;
}

const MIN = 60_000;
const HOUR = 60 * MIN;
/** Known data lives on fixed dates; realtime rows are relative to the real clock. */
const T0 = Date.parse("2026-11-10T00:00:00Z");
const at = (h: number, m: number, s = 0) => new Date(T0 + h * HOUR + m * MIN + s * 1000);
const P0 = Date.parse("2026-11-15T00:00:00Z");
const now = Date.now();

let handle: DatabaseHandle;
let main: { id: number };
let wf: Record<"a" | "b" | "c", { id: number; name: string }>;
let planted: { id: number };
let flat: { id: number };
let busy: { id: number };
let quiet: { id: number };

type Row = Partial<NewExecution> & { startedAt: Date };
const ok = (startedAt: Date, durationMs: number): Row => ({ startedAt, durationMs });
const failed = (
  startedAt: Date,
  durationMs: number,
  status: "error" | "crashed",
  errorMessage?: string,
  errorNode?: string,
): Row => ({
  startedAt,
  durationMs,
  status,
  errorMessage: errorMessage ?? null,
  errorNode: errorNode ?? null,
});

/**
 * Client "main", concurrency limit 8, six hours from T0:
 *   h0: A 6 ok, B 2 errors        → 8
 *   h1: A 12 ok (4 overlapping),  B 1 ok + 1 crashed → 14
 *   h2: nothing (a missing bucket)
 *   h3: A 4 ok + 1 canceled, C 3 ok (long runs) → 8
 *   h4: B 3 errors                 → 3
 *   h5: A 2 ok                     → 2
 * and 5 runs of A in the previous six hours (T0 − 3h).
 */
async function seedMain() {
  const db = handle.db;
  const client = await createClient(db, { concurrencyLimit: 8 });
  const [a, b, c] = await Promise.all([
    createWorkflow(db, client.id, { name: "Orders" }),
    createWorkflow(db, client.id, { name: "Invoices" }),
    createWorkflow(db, client.id, { name: "Reports" }),
  ]);
  const A: Row[] = [
    ...[120, 450, 1300, 2200, 4100, 7000].map((d, i) => ok(at(0, i * 4), d)),
    ...[0, 1, 2, 3].map((s) => ok(at(1, 10, s), 60_000)),
    ...[450, 900, 1300, 2200, 4100, 7000, 12_000, 45_000].map((d, i) => ok(at(1, 20 + i * 4), d)),
    ...[300, 600, 1700, 2900].map((d, i) => ok(at(3, i * 4), d)),
    { startedAt: at(3, 16), durationMs: 3500, status: "canceled" },
    ok(at(5, 1), 500),
    ok(at(5, 5), 800),
    ...[0, 10, 20, 30, 40].map((m) => ok(at(-3, m), 2000)),
  ];
  const B: Row[] = [
    failed(at(0, 30), 12_000, "error", "Timeout calling API", "HTTP Request"),
    failed(at(0, 34), 26_000, "error", "Timeout calling API", "HTTP Request"),
    ok(at(1, 2), 95_000),
    failed(at(1, 50), 150_000, "crashed"),
    failed(at(4, 5), 8000, "error", "Timeout calling API", "HTTP Request"),
    failed(at(4, 25), 9000, "error", "Timeout calling API", "HTTP Request"),
    failed(at(4, 45), 31_000, "error", "Bad credentials", "Postgres"),
  ];
  const C: Row[] = [ok(at(3, 0), 150_000), ok(at(3, 20), 700_000), ok(at(3, 40), 40_000)];
  await insertExecutions(db, { clientId: client.id, workflowId: a.id }, A);
  await insertExecutions(db, { clientId: client.id, workflowId: b.id }, B);
  await insertExecutions(db, { clientId: client.id, workflowId: c.id }, C);

  // Live now: 3 running, 2 waiting, 1 queued (new), and a manual run that does not count.
  const live = (status: NewExecution["status"], minutesAgo: number, extra: Partial<NewExecution> = {}): Row => ({
    status,
    durationMs: null,
    stoppedAt: null,
    ...extra,
    startedAt: new Date(now - minutesAgo * MIN),
  });
  await insertExecutions(db, { clientId: client.id, workflowId: a.id }, [
    live("running", 5),
    live("running", 2),
    live("running", 0.5),
    live("waiting", 60, { waitTill: new Date(now + HOUR) }),
    live("waiting", 10),
    live("new", 20),
    live("running", 1, { isProduction: false, mode: "manual", exclusionReason: "manual" }),
  ]);
  await db.insert(syncRuns).values({
    function: "sync-client",
    trigger: "cron",
    clientId: client.id,
    status: "success",
    startedAt: new Date(now - 6 * MIN),
    finishedAt: new Date(now - 5 * MIN),
  });
  await refreshRollups(db, { clientId: client.id });
  return { client, wf: { a, b, c } };
}

/**
 * Hourly traffic from P0 − 5 days to P0 + 1 day. `flat`: 18–22 runs an hour, 0–2 of them
 * failing. `planted`: exactly 20 an hour with 1 failure, except a burst of 80 at P0+10h
 * (60 of them in minute 30) and 12 failures of 20 at P0+15h.
 */
async function seedPatterns(kind: "planted" | "flat") {
  const db = handle.db;
  const client = await createClient(db);
  const workflow = await createWorkflow(db, client.id);
  const rows: Row[] = [];
  for (let h = -5 * 24; h < 24; h++) {
    const start = P0 + h * HOUR;
    let n = kind === "flat" ? 20 + ((((h + 200) * 7) % 5) - 2) : 20;
    let failures = kind === "flat" ? (h + 200) % 3 : 1;
    if (kind === "planted" && h === 15) failures = 12;
    for (let i = 0; i < n; i++) {
      rows.push({
        startedAt: new Date(start + i * 3 * MIN),
        durationMs: 1000,
        status: i < failures ? "error" : "success",
      });
    }
    if (kind === "planted" && h === 10) {
      n += 60;
      for (let i = 0; i < 60; i++) rows.push({ startedAt: new Date(start + 30 * MIN + i * 500), durationMs: 400 });
    }
  }
  await insertExecutions(db, { clientId: client.id, workflowId: workflow.id }, rows);
  await refreshRollups(db, { clientId: client.id });
  return client;
}

beforeAll(async () => {
  handle = await createTestDatabase();
  useAsAppDatabase(handle);
  const seeded = await seedMain();
  main = seeded.client;
  wf = seeded.wf;
  [planted, flat] = await Promise.all([seedPatterns("planted"), seedPatterns("flat")]);
  busy = await createClient(handle.db, { concurrencyLimit: 2 });
  const busyWf = await createWorkflow(handle.db, busy.id);
  await insertExecutions(
    handle.db,
    { clientId: busy.id, workflowId: busyWf.id },
    [1, 2, 3, 4].map((m) => ({
      startedAt: new Date(now - m * MIN),
      status: "waiting" as const,
      durationMs: null,
      stoppedAt: null,
    })),
  );
  quiet = await createClient(handle.db);
}, 120_000);
afterAll(() => handle.close());

const SIX_HOURS = { start: at(0, 0).toISOString(), end: at(6, 0).toISOString() };

describe("realtime", () => {
  it("counts running, waiting and queued production executions, with the queue's severity", async () => {
    const r = await json<RealtimeMetrics>("realtime", { clientId: main.id });
    expect(r).toMatchObject({ running: 3, waiting: 2, queued: 1, capacityPct: 37.5 });
    expect(r.queue).toEqual({
      depth: 3,
      severity: "ok",
      concurrencyLimit: 8,
      thresholds: { warning: 8, critical: 16 },
    });
    expect(r.oldestWaiting).toMatchObject({ status: "waiting", workflowName: "Orders" });
    expect(r.oldestWaiting?.ageSeconds).toBeGreaterThanOrEqual(3590);
    expect(r.oldestWaiting?.waitTill).not.toBeNull();
    expect(r.runningNow).toHaveLength(3);
    expect(r.runningNow[0].ageSeconds).toBeGreaterThanOrEqual(295);
  });

  it("reports the last sync's freshness", async () => {
    const r = await json<RealtimeMetrics>("realtime", { clientId: main.id });
    expect(r.freshness.stale).toBe(false);
    expect(r.freshness.ageSeconds).toBeGreaterThanOrEqual(299);
    expect(r.freshness.ageSeconds).toBeLessThan(400);
    expect(r.freshness.lastRun?.status).toBe("success");

    const never = await json<RealtimeMetrics>("realtime", { clientId: quiet.id });
    expect(never).toMatchObject({ running: 0, waiting: 0, queued: 0, oldestWaiting: null, runningNow: [] });
    expect(never.freshness).toMatchObject({ lastSyncAt: null, ageSeconds: null, stale: true, lastRun: null });
  });

  it("turns critical at twice the concurrency limit", async () => {
    const r = await json<RealtimeMetrics>("realtime", { clientId: busy.id });
    expect(r.queue).toMatchObject({ depth: 4, severity: "critical" });
    expect([0, 7, 8, 15, 16].map((d) => queueSeverity(d, 8))).toEqual(["ok", "ok", "warning", "warning", "critical"]);
  });
});

describe("ranges off the hour", () => {
  // [0:30, 4:30): A's h0 runs start before 0:30 and B's 4:45 error after 4:30.
  const RAGGED = { start: at(0, 30).toISOString(), end: at(4, 30).toISOString() };

  it("count exactly the executions inside the range, in throughput and performance alike", async () => {
    const t = await json<ThroughputMetrics>("throughput", { clientId: main.id, ...RAGGED });
    expect(t.series.map((p) => p.executions)).toEqual([2, 14, null, 8, 2]);
    expect(t.total).toBe(26);
    expect(t.perHour).toBeCloseTo(26 / 4, 3);
    const p = await json<PerformanceMetrics>("performance", { clientId: main.id, ...RAGGED });
    expect(p.executions).toBe(26);
    expect(p.failures).toBe(5);
  });
});

describe("throughput", () => {
  it("gives per-hour counts with gaps as null, averages, the peak and capacity use", async () => {
    const t = await json<ThroughputMetrics>("throughput", { clientId: main.id, ...SIX_HOURS });
    expect(t.range.granularity).toBe("hour");
    expect(t.series.map((p) => p.executions)).toEqual([8, 14, null, 8, 3, 2]);
    expect(t.total).toBe(35);
    expect(t.perHour).toBeCloseTo(35 / 6, 3);
    expect(t.perDay).toBeCloseTo(140, 3);
    expect(t.perMinute).toBeCloseTo(35 / 360, 3);
    expect(t.peak).toEqual({ bucket: at(1, 0).toISOString(), executions: 14 });
    // Four overlapping runs of Orders plus Invoices' one in hour 1: 5 of 8.
    expect(t.series.map((p) => p.peakConcurrency)).toEqual([2, 5, null, 2, 1, 1]);
    expect(t.capacity).toEqual({
      concurrencyLimit: 8,
      peakConcurrency: 5,
      peakAt: at(1, 0).toISOString(),
      peakPct: 62.5,
      avgPct: 27.5,
    });
    expect(t.comparison).toEqual({ previous: 5, delta: 30, deltaPct: 600 });
  });

  it("adds per-minute detail from raw executions for ranges up to 6 hours", async () => {
    const t = await json<ThroughputMetrics>("throughput", { clientId: main.id, ...SIX_HOURS });
    expect(t.minuteSeries).toHaveLength(360);
    expect(t.minuteSeries?.filter((m) => m.executions !== null).reduce((a, m) => a + (m.executions ?? 0), 0)).toBe(35);
    expect(t.peakMinute).toEqual({ minute: at(1, 10).toISOString(), executions: 4 });

    const day = await json<ThroughputMetrics>("throughput", {
      clientId: main.id,
      start: at(0, 0).toISOString(),
      end: at(24, 0).toISOString(),
    });
    expect(day.minuteSeries).toBeNull();
    expect(day.series).toHaveLength(24);
  });

  it("follows source= and answers CSV rows of the series", async () => {
    const daily = await json<ThroughputMetrics>("throughput", { clientId: main.id, ...SIX_HOURS, source: "daily" });
    expect(daily.series).toEqual([
      { bucket: at(0, 0).toISOString(), executions: 35, peakConcurrency: 5, capacityPct: 62.5 },
    ]);

    const csv = await call("throughput", { clientId: main.id, ...SIX_HOURS, format: "csv" });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const lines = csv.text.trim().split("\r\n");
    expect(lines[0]).toBe("bucket,executions,peakConcurrency,capacityPct");
    expect(lines.slice(1)).toEqual([
      `${at(0, 0).toISOString()},8,2,25`,
      `${at(1, 0).toISOString()},14,5,62.5`,
      `${at(2, 0).toISOString()},,,`,
      `${at(3, 0).toISOString()},8,2,25`,
      `${at(4, 0).toISOString()},3,1,12.5`,
      `${at(5, 0).toISOString()},2,1,12.5`,
    ]);
  });
});

describe("latency", () => {
  it("matches percentile_cont on the raw rows within 2%, and avg/min/max exactly", async () => {
    const l = await json<LatencyMetrics>("latency", { clientId: main.id, ...SIX_HOURS });
    const [raw] = await queryRows<Record<string, number | string>>(
      handle.db,
      sql`select count(*)::int as n, avg(duration_ms)::float8 as avg, min(duration_ms) as min, max(duration_ms) as max,
        percentile_cont(0.5) within group (order by duration_ms) as p50,
        percentile_cont(0.75) within group (order by duration_ms) as p75,
        percentile_cont(0.9) within group (order by duration_ms) as p90,
        percentile_cont(0.95) within group (order by duration_ms) as p95,
        percentile_cont(0.99) within group (order by duration_ms) as p99
      from executions where client_id = ${main.id} and is_production and duration_ms is not null
        and started_at >= ${SIX_HOURS.start}::timestamptz and started_at < ${SIX_HOURS.end}::timestamptz`,
    );
    expect(l.count).toBe(35);
    expect(Number(raw.n)).toBe(35);
    for (const p of ["p50", "p75", "p90", "p95", "p99"] as const) {
      const exact = Number(raw[p]);
      expect(Math.abs((l.percentiles[p] ?? 0) - exact) / exact, p).toBeLessThan(0.02);
    }
    expect(l.avgMs).toBeCloseTo(Number(raw.avg), 0);
    expect(l.minMs).toBe(120);
    expect(l.maxMs).toBe(700_000);
    expect(l.comparison.avgMs.previous).toBe(2000);
  });

  it("gives the same answer when whole days are read from day rollups", async () => {
    // 12 hours, the whole day T0 (from its day row), 12 hours: identical to raw.
    const range = { start: at(-12, 0).toISOString(), end: at(36, 0).toISOString() };
    const l = await json<LatencyMetrics>("latency", { clientId: main.id, ...range });
    expect(l.range.granularity).toBe("hour");
    const rows = await queryRows<{ d: number }>(
      handle.db,
      sql`select duration_ms as d from executions where client_id = ${main.id} and is_production
        and started_at >= ${range.start}::timestamptz and started_at < ${range.end}::timestamptz order by 1`,
    );
    expect(l.count).toBe(40);
    expect(rows).toHaveLength(40);
    const expected = LATENCY_BANDS.map(
      (b) => rows.filter((r) => r.d >= b.minMs && (b.maxMs === null || r.d < b.maxMs)).length,
    );
    expect(l.distribution.map((b) => b.count)).toEqual(expected);
    const p50 = (rows[19].d + rows[20].d) / 2;
    expect(Math.abs((l.percentiles.p50 ?? 0) - p50) / p50).toBeLessThan(0.02);
    expect(l.minMs).toBe(120);
    expect(l.maxMs).toBe(700_000);
  });

  it("gives band counts that match the raw durations and sum to the total", async () => {
    const l = await json<LatencyMetrics>("latency", { clientId: main.id, ...SIX_HOURS });
    const rows = await queryRows<{ d: number }>(
      handle.db,
      sql`select duration_ms as d from executions where client_id = ${main.id} and is_production
        and started_at >= ${SIX_HOURS.start}::timestamptz and started_at < ${SIX_HOURS.end}::timestamptz`,
    );
    const expected = LATENCY_BANDS.map(
      (b) => rows.filter((r) => r.d >= b.minMs && (b.maxMs === null || r.d < b.maxMs)).length,
    );
    expect(l.distribution.map((b) => b.count)).toEqual(expected);
    expect(expected).toEqual([8, 9, 7, 8, 2, 1]);
    expect(l.distribution.reduce((a, b) => a + b.count, 0)).toBe(l.count);
    expect(l.slowestWorkflows[0].name).toBe("Reports");

    const csv = await call("latency", { clientId: main.id, ...SIX_HOURS, format: "csv" });
    const lines = csv.text.trim().split("\r\n");
    expect(lines[0]).toBe("band,minMs,maxMs,count,percent");
    expect(lines[1]).toBe(`<1s,0,1000,8,${Math.round((8 / 35) * 10000) / 100}`);
    expect(lines[6]).toBe(`>10m,600000,,1,${Math.round((1 / 35) * 10000) / 100}`);
  });
});

describe("performance", () => {
  it("gives the success rate, failures by workflow and by hour of day, and top errors", async () => {
    const p = await json<PerformanceMetrics>("performance", { clientId: main.id, ...SIX_HOURS });
    expect(p).toMatchObject({ executions: 35, finished: 35, success: 28, failures: 6, canceled: 1, successRate: 80 });
    expect(p.comparison.successRate).toEqual({ previous: 100, delta: -20, deltaPct: -20 });
    expect(p.byWorkflow.map((w) => [w.name, w.executions, w.failures, w.failureRate])).toEqual([
      ["Invoices", 7, 6, 85.71],
      ["Orders", 25, 0, 0],
      ["Reports", 3, 0, 0],
    ]);
    expect(p.byHourSource).toBe("hourly");
    expect(p.byHourOfDay).toHaveLength(24);
    expect(p.byHourOfDay.slice(0, 6).map((h) => [h.executions, h.failures, h.failureRate])).toEqual([
      [8, 2, 25],
      [14, 1, 7.14],
      [0, 0, null],
      [8, 0, 0],
      [3, 3, 100],
      [2, 0, 0],
    ]);
    expect(p.topErrors.map((e) => [e.message, e.node, e.count, e.workflows])).toEqual([
      ["Timeout calling API", "HTTP Request", 4, 1],
      ["Bad credentials", "Postgres", 1, 1],
    ]);
    expect(p.topErrors[0].lastSeenAt).toBe(at(4, 25).toISOString());
  });

  it("reads raw executions for the hour of day beyond hourly retention, with the same answer", async () => {
    const range = resolveRange({ source: "auto", start: at(0, 0), end: at(6, 0) });
    const later = new Date(T0 + 200 * 24 * HOUR);
    const raw = await getPerformanceMetrics(handle.db, { clientId: main.id, range, now: later });
    const hourly = await json<PerformanceMetrics>("performance", { clientId: main.id, ...SIX_HOURS });
    expect(raw.byHourSource).toBe("raw");
    expect(raw.byHourOfDay).toEqual(hourly.byHourOfDay);
  });

  it("answers CSV rows of failures by workflow", async () => {
    const csv = await call("performance", { clientId: main.id, ...SIX_HOURS, format: "csv" });
    const lines = csv.text.trim().split("\r\n");
    expect(lines[0]).toBe("workflowId,name,executions,success,failures,canceled,failureRate,successRate");
    expect(lines[1]).toBe(`${wf.b.id},Invoices,7,1,6,0,85.71,14.29`);
    expect(lines).toHaveLength(4);
  });
});

describe("patterns", () => {
  const DAY = { start: new Date(P0).toISOString(), end: new Date(P0 + 24 * HOUR).toISOString() };

  it("finds the planted burst and failure-rate anomaly, each with its reason", async () => {
    const p = await json<PatternMetrics>("patterns", { clientId: planted.id, ...DAY });
    expect(p.timeline).toHaveLength(24);
    expect(p.timeline[10]).toEqual({
      bucket: new Date(P0 + 10 * HOUR).toISOString(),
      executions: 80,
      failures: 1,
      successRate: 98.75,
    });
    expect(p.anomalies.map((a) => [a.bucket, a.metric, a.direction])).toEqual([
      [new Date(P0 + 10 * HOUR).toISOString(), "volume", "high"],
      [new Date(P0 + 15 * HOUR).toISOString(), "failure_rate", "high"],
    ]);
    const [volume, rate] = p.anomalies;
    expect(volume).toMatchObject({ value: 80, baselineMedian: 20, baselineMad: 1, robustZ: 40.5 });
    expect(volume.reason).toBe(
      "80 executions vs. baseline 20 ± 1 over the previous 168 hours (robust z 40.5; baseline nearly constant, minimum spread used)",
    );
    expect(rate).toMatchObject({ value: 60, baselineMedian: 5, executions: 20, failures: 12 });
    expect(rate.reason).toBe(
      "failure rate 60% (12 of 20 finished) vs. baseline 5% ± 1% over the previous 168 hours (robust z 37.1; baseline nearly constant, minimum spread used)",
    );
    expect(p.bursts).toHaveLength(1);
    expect(p.bursts[0]).toMatchObject({
      level: "hour",
      start: volume.bucket,
      buckets: 1,
      executions: 80,
      peakExecutions: 80,
    });
    expect(p.bursts[0].reason).toContain("80 executions in one hour vs. baseline 20");
  });

  it("also finds them against the same hour on previous days", async () => {
    const p = await json<PatternMetrics>("patterns", { clientId: planted.id, ...DAY, baseline: "hour-of-day" });
    expect(p.baseline).toMatchObject({ kind: "hour-of-day", windowHours: 168 });
    expect(p.anomalies.map((a) => a.metric)).toEqual(["volume", "failure_rate"]);
    expect(p.anomalies[0].reason).toContain("at this hour on the previous 7 days");
  });

  it("finds the minute-level burst when the range is short", async () => {
    const p = await json<PatternMetrics>("patterns", {
      clientId: planted.id,
      start: new Date(P0 + 9 * HOUR).toISOString(),
      end: new Date(P0 + 11 * HOUR).toISOString(),
    });
    const minute = p.bursts.filter((b) => b.level === "minute");
    expect(minute).toHaveLength(1);
    expect(minute[0]).toMatchObject({ start: new Date(P0 + 10 * HOUR + 30 * MIN).toISOString(), executions: 61 });
    expect(p.bursts.filter((b) => b.level === "hour")).toHaveLength(1);
  });

  it("flags nothing on flat data", async () => {
    const p = await json<PatternMetrics>("patterns", { clientId: flat.id, ...DAY });
    expect(p.timeline.every((t) => t.executions !== null && t.executions >= 18 && t.executions <= 22)).toBe(true);
    expect(p.anomalies).toEqual([]);
    expect(p.bursts).toEqual([]);
    const hod = await json<PatternMetrics>("patterns", { clientId: flat.id, ...DAY, baseline: "hour-of-day" });
    expect(hod.anomalies).toEqual([]);
  });

  it("answers CSV rows of the anomalies", async () => {
    const csv = await call("patterns", { clientId: planted.id, ...DAY, format: "csv" });
    const lines = csv.text.trim().split("\r\n");
    expect(lines[0]).toBe(
      "bucket,metric,direction,value,baselineMedian,baselineMad,robustZ,executions,failures,reason",
    );
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(",volume,high,80,20,1,40.5,80,1,");
  });
});

describe("all sections", () => {
  it("answers every section in one response, the same as the section endpoints", async () => {
    const all = await json<ExecutionMetrics>("", { clientId: main.id, ...SIX_HOURS });
    const latency = await json<LatencyMetrics>("latency", { clientId: main.id, ...SIX_HOURS });
    expect(all.range).toEqual({ ...SIX_HOURS, granularity: "hour" });
    expect(all.realtime.running).toBe(3);
    expect(all.throughput.total).toBe(35);
    expect(all.latency).toEqual(latency);
    expect(all.performance.successRate).toBe(80);
    expect(all.patterns.timeline).toHaveLength(6);
    expect((await call("", { clientId: main.id, format: "csv" })).status).toBe(400);
  });
});

describe("bad input", () => {
  const sections = Object.keys(ROUTES);
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    ["missing clientId", {}, /^clientId: /],
    ["clientId abc", { clientId: "abc" }, /^clientId: must be a positive integer/],
    ["clientId 0", { clientId: "0" }, /^clientId: /],
    ["clientId -3", { clientId: "-3" }, /^clientId: /],
    ["clientId 1.5", { clientId: "1.5" }, /^clientId: /],
    ["clientId too large", { clientId: "99999999999" }, /^clientId: /],
    ["timeframe 2h", { timeframe: "2h" }, /^timeframe: must be one of/],
    ["timeframe with start", { timeframe: "24h", start: "2026-11-01T00:00:00Z" }, /^timeframe: /],
    ["start not a date", { start: "yesterday" }, /^start: /],
    ["end not a date", { start: "2026-11-01T00:00:00Z", end: "2026-13-45" }, /^end: /],
    ["end without start", { end: "2026-11-01T00:00:00Z" }, /^start: /],
    ["end before start", { start: "2026-11-02T00:00:00Z", end: "2026-11-01T00:00:00Z" }, /^end: must be after start/],
    ["range over 2 years", { start: "2022-01-01T00:00:00Z", end: "2026-11-01T00:00:00Z" }, /^end: /],
    ["source", { source: "minutely" }, /^source: must be one of/],
    ["baseline", { baseline: "weekly" }, /^baseline: must be one of/],
    ["format", { format: "xml" }, /^format: /],
  ];

  for (const [name, params, message] of cases) {
    it(`400 naming the parameter: ${name}`, async () => {
      for (const section of sections) {
        const withClient =
          "clientId" in params || name === "missing clientId" ? params : { clientId: String(main.id), ...params };
        const res = await call(section, withClient);
        expect(res.status, `${section}: ${res.text}`).toBe(400);
        expect(res.body.error.code).toBe("bad_request");
        expect(res.body.error.message, section).toMatch(message);
      }
    });
  }

  it("404 for an unknown client on every endpoint", async () => {
    for (const section of sections) {
      const res = await call(section, { clientId: 987654 });
      expect(res.status, section).toBe(404);
      expect(res.body.error).toEqual({ code: "not_found", message: "Client 987654 not found" });
    }
  });
});
