import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import type { DatabaseHandle } from "@/lib/db/database";
import { syncRuns, systemMetricHoursPending, systemMetrics, systemMetricsHourly } from "@/lib/db/schema";
import { InMemorySource, type FakeExecutionInput } from "@/lib/n8n/fake";
import { queueRun } from "@/lib/runs/record";
import { runAlertsJob } from "@/lib/alerts/jobs";
import { flushMetrics, metricRecorder, recordMetrics } from "@/lib/telemetry";
import { sampleResources } from "@/lib/telemetry/resources";
import { insertMetricPoints } from "@/lib/telemetry/store";
import { MetricRecorder } from "@/lib/telemetry/recorder";
import { aggregatePendingHours } from "@/lib/telemetry/aggregate";
import { runSystemMetricsRetention } from "@/lib/telemetry/retention";
import { SYNC_FUNCTIONS } from "@/lib/core/vocabulary";
import { createTestDatabase } from "./helpers/db";
import { syncHarness } from "./helpers/sync-harness";

const KEY = "test-key";
const NOW = new Date("2026-11-20T12:00:00Z");
const HOUR = 3_600_000;

let handle: DatabaseHandle;
const { setup, sync, connect, close } = syncHarness(() => handle.db, { apiKey: KEY, now: NOW });
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => {
  await close();
  await handle.close();
});

function executionsOf(n: number): FakeExecutionInput[] {
  return Array.from({ length: n }, (_, i) => {
    const startedAt = new Date(NOW.getTime() - 3 * HOUR + i * 60_000);
    return {
      id: i + 1,
      workflowId: "1",
      status: i % 5 === 0 ? "error" : "success",
      mode: "trigger",
      startedAt,
      stoppedAt: new Date(startedAt.getTime() + 2000),
    };
  });
}

const WORKFLOWS = [{ id: "1", name: "Invoice sync" }];

/** The points of one run, by name, after the buffer is written. */
async function pointsOfRun(runId: number) {
  await flushMetrics(handle.db);
  return handle.db
    .select()
    .from(systemMetrics)
    .where(sql`${systemMetrics.labels} @> ${JSON.stringify({ run: String(runId) })}::jsonb`);
}

async function pointsNamed(name: string, labels: Record<string, string>) {
  await flushMetrics(handle.db);
  return handle.db
    .select()
    .from(systemMetrics)
    .where(and(eq(systemMetrics.name, name), sql`${systemMetrics.labels} @> ${JSON.stringify(labels)}::jsonb`));
}

describe("a sync's system metrics", () => {
  it("records each phase, and the phases add up to the run's total as sync_runs shows it", async () => {
    const { client } = await setup(new InMemorySource({ workflows: WORKFLOWS, executions: executionsOf(300) }));
    const run = await sync(client);

    const phases = await pointsOfRun(run.runId);
    const byPhase = new Map(phases.map((p) => [p.labels.phase, p]));
    expect(phases.every((p) => p.name === "run_phase_duration" && p.type === "processing_time")).toBe(true);
    expect(phases.every((p) => p.unit === "ms" && p.service === "flowscope")).toBe(true);
    expect(phases[0].labels).toMatchObject({
      function: "sync-client",
      trigger: "manual",
      status: "success",
      client: String(client.id),
    });
    const [stored] = await handle.db.select().from(syncRuns).where(eq(syncRuns.id, run.runId));
    expect(byPhase.get("total")?.value).toBe(stored.phaseMs.total);
    const sum = phases.filter((p) => p.labels.phase !== "total").reduce((s, p) => s + p.value, 0);
    expect(sum).toBe(byPhase.get("total")?.value);
    // The sync fetched and stored: those phases are there.
    expect(byPhase.has("fetch")).toBe(true);
    expect(byPhase.has("store")).toBe(true);

    const success = await pointsNamed("run_success", { function: "sync-client", client: String(client.id) });
    expect(success.map((p) => p.value)).toEqual([1]);
    const [requests] = await pointsNamed("n8n_requests", { client: String(client.id) });
    // Workflows (1 page) and executions (300 at 250 a page: 2 pages), no retries needed.
    expect(requests.value).toBeGreaterThanOrEqual(3);
    const [retries] = await pointsNamed("n8n_request_retries", { client: String(client.id) });
    expect(retries.value).toBe(0);
  });

  it("counts retries and 429s honoured, and a failing sync records a failure", async () => {
    const { server, client } = await setup(new InMemorySource({ workflows: WORKFLOWS, executions: executionsOf(20) }));
    server.faults.rateLimit(1, 0).serverErrors(2);
    const ok = await sync(client);
    const [retries] = await pointsNamed("n8n_request_retries", { client: String(client.id) });
    const [limited] = await pointsNamed("n8n_rate_limited", { client: String(client.id) });
    expect(retries.value).toBe(3);
    expect(limited.value).toBe(1);
    const [success] = await pointsNamed("n8n_request_success", { client: String(client.id) });
    const [requests] = await pointsNamed("n8n_requests", { client: String(client.id) });
    expect(success.value).toBeCloseTo((requests.value - 3) / requests.value, 10);
    expect((await pointsOfRun(ok.runId)).every((p) => p.labels.status === "success")).toBe(true);

    // n8n down for good: more 500s than the client retries.
    server.faults.serverErrors(100);
    const failed = await sync(client, { connect: (c) => connect(c, { maxRetries: 1 }) }).then(
      () => null,
      (err: unknown) => err,
    );
    expect(failed).not.toBeNull();
    const [run] = await handle.db
      .select()
      .from(syncRuns)
      .where(and(eq(syncRuns.clientId, client.id), eq(syncRuns.status, "error")));
    const phases = await pointsOfRun(run.id);
    expect(phases.length).toBeGreaterThan(0);
    expect(phases.every((p) => p.labels.status === "error")).toBe(true);
    const outcomes = await pointsNamed("run_success", { function: "sync-client", client: String(client.id) });
    expect(outcomes.map((p) => p.value).sort()).toEqual([0, 1]);
    server.faults.reset();
  });

  it("records the wait of a queued run before it started", async () => {
    const { client } = await setup(new InMemorySource({ workflows: WORKFLOWS, executions: executionsOf(5) }));
    const runId = await queueRun(handle.db, { function: "sync-client", trigger: "manual", clientId: client.id });
    // Queued a minute ago, as a sync waiting behind another would have been.
    await handle.db
      .update(syncRuns)
      .set({ startedAt: new Date(Date.now() - 60_000) })
      .where(eq(syncRuns.id, runId));
    await sync(client, { runId });
    const [wait] = await pointsNamed("queue_wait", { function: "sync-client" });
    expect(wait.type).toBe("queue_metrics");
    expect(wait.value).toBeGreaterThanOrEqual(60_000);
    expect(wait.value).toBeLessThan(120_000);
  });

  it("a failure to record never fails the sync; the points are written once the table is back", async () => {
    const { client } = await setup(new InMemorySource({ workflows: WORKFLOWS, executions: executionsOf(10) }));
    await flushMetrics(handle.db);
    const before = { ...metricRecorder(handle.db).stats };
    await handle.db.execute(sql`alter table system_metrics rename to system_metrics_away`);
    let run: Awaited<ReturnType<typeof sync>>;
    try {
      run = await sync(client);
      await flushMetrics(handle.db);
    } finally {
      await handle.db.execute(sql`alter table system_metrics_away rename to system_metrics`);
    }
    expect(run.executionsNew).toBe(10);
    const after = metricRecorder(handle.db).stats;
    expect(after.failedWrites).toBe(before.failedWrites + 1);
    expect(after.lastError).toBeTruthy();
    // Kept in the buffer and written by the next flush.
    const phases = await pointsOfRun(run.runId);
    expect(phases.find((p) => p.labels.phase === "total")).toBeDefined();
    expect(metricRecorder(handle.db).stats.buffered).toBe(0);
  });

  it("the alert job, which records no run, records its phases and outcome", async () => {
    await runAlertsJob(handle.db, { trigger: "cron" });
    const phases = await pointsNamed("run_phase_duration", { function: "evaluate-alerts", trigger: "cron" });
    const names = phases.map((p) => p.labels.phase).sort();
    expect(names).toEqual(expect.arrayContaining(["measure", "deliver", "total"]));
    const total = phases.find((p) => p.labels.phase === "total")!.value;
    expect(phases.filter((p) => p.labels.phase !== "total").reduce((s, p) => s + p.value, 0)).toBe(total);
    const [ok] = await pointsNamed("run_success", { function: "evaluate-alerts" });
    expect(ok.value).toBe(1);
  });
});

describe("the resource sampler", () => {
  it("samples the process, the database and the queue", async () => {
    await queueRun(handle.db, { function: "rollup", trigger: "manual" });
    const at = new Date();
    recordMetrics(handle.db, await sampleResources(handle.db, { at }));
    await flushMetrics(handle.db);
    const rows = await handle.db.select().from(systemMetrics).where(eq(systemMetrics.recordedAt, at));
    const one = (name: string, labels: Record<string, string> = {}) =>
      rows.find((r) => r.name === name && Object.entries(labels).every(([k, v]) => r.labels[k] === v));
    expect(one("process_rss")!.value).toBeGreaterThan(10 * 1024 * 1024);
    expect(one("process_heap_used")!.value).toBeGreaterThan(0);
    expect(one("db_size")!.value).toBeGreaterThan(1024 * 1024);
    expect(one("db_connections")!.value).toBeGreaterThanOrEqual(1);
    const tables = rows.filter((r) => r.name === "db_table_size");
    expect(tables.length).toBeGreaterThan(0);
    expect(tables.length).toBeLessThanOrEqual(5);
    // Each function's queue, zeros included: the one queued rollup is counted.
    const depth = rows.filter((r) => r.name === "queue_depth" && r.labels.state === "queued");
    expect(depth.map((r) => r.labels.function).sort()).toEqual([...SYNC_FUNCTIONS].sort());
    expect(one("queue_depth", { function: "rollup", state: "queued" })!.value).toBe(1);
    expect(rows.every((r) => r.type === "resource_usage" || r.type === "queue_metrics")).toBe(true);
  });
});

describe("hourly aggregates and retention", () => {
  const base = Date.UTC(2026, 8, 1, 10); // Sep 1st 2026, 10:00 UTC: older than 30 days at NOW
  const point = (minutesIn: number, value: number, labels: Record<string, string> = { k: "a" }) => ({
    type: "custom" as const,
    name: "agg_test",
    value,
    service: "external",
    labels,
    at: new Date(base + minutesIn * 60_000),
  });

  it("folds each finished hour into count, sum, min, max and percentiles equal to SQL over the points", async () => {
    const points = [
      ...Array.from({ length: 40 }, (_, i) => point(i, i * 1.5)),
      ...Array.from({ length: 10 }, (_, i) => point(i * 3, 100 + i, { k: "b" })),
      ...Array.from({ length: 7 }, (_, i) => point(60 + i * 5, i)),
    ];
    await insertMetricPoints(handle.db, points);
    const result = await aggregatePendingHours(handle.db, NOW);
    expect(result.hours).toBeGreaterThanOrEqual(2);
    const hourly = await handle.db
      .select()
      .from(systemMetricsHourly)
      .where(eq(systemMetricsHourly.name, "agg_test"))
      .orderBy(systemMetricsHourly.hour, sql`${systemMetricsHourly.labels}->>'k'`);
    const expected = await handle.db.execute(sql`
      select date_trunc('hour', recorded_at) as hour, labels->>'k' as k, count(*)::int as count, sum(value) as sum,
        min(value) as min, max(value) as max, percentile_cont(0.95) within group (order by value) as p95
      from system_metrics where name = 'agg_test' group by 1, 2 order by 1, 2`);
    const rows = ((expected as { rows?: unknown[] }).rows ?? (expected as unknown as unknown[])) as Array<
      Record<string, unknown>
    >;
    expect(hourly.map((h) => [h.hour.toISOString(), h.labels.k, h.count, h.sum, h.min, h.max, h.p95])).toEqual(
      rows.map((r) => [
        new Date(r.hour as string).toISOString(),
        r.k,
        r.count,
        Number(r.sum),
        Number(r.min),
        Number(r.max),
        Number(r.p95),
      ]),
    );
    expect(hourly.map((h) => h.count)).toEqual([40, 10, 7]);
  });

  it("deletes whole old hours once aggregated, keeps their aggregates, and re-counts an hour a late point reaches", async () => {
    const retention = await runSystemMetricsRetention(handle.db, { now: NOW, rawDays: 30, hourlyDays: 90 });
    expect(retention.deletedPoints).toBe(57);
    expect(await handle.db.select().from(systemMetrics).where(eq(systemMetrics.name, "agg_test"))).toEqual([]);
    const kept = await handle.db
      .select()
      .from(systemMetricsHourly)
      .where(eq(systemMetricsHourly.name, "agg_test"))
      .orderBy(systemMetricsHourly.hour, sql`${systemMetricsHourly.labels}->>'k'`);
    expect(kept.map((h) => h.count)).toEqual([40, 10, 7]);

    // Within the raw retention, a late point re-counts its hour from every raw point.
    const recent = (minutes: number, value: number) => ({
      type: "custom" as const,
      name: "late_test",
      value,
      at: new Date(NOW.getTime() - 2 * HOUR + minutes * 60_000),
    });
    await insertMetricPoints(handle.db, [recent(1, 10), recent(2, 20), recent(3, 30)]);
    await aggregatePendingHours(handle.db, NOW);
    await insertMetricPoints(handle.db, [recent(50, 40)]);
    expect((await handle.db.select().from(systemMetricHoursPending)).map((p) => p.hour.getTime())).toContain(
      NOW.getTime() - 2 * HOUR,
    );
    await aggregatePendingHours(handle.db, NOW);
    const [late] = await handle.db.select().from(systemMetricsHourly).where(eq(systemMetricsHourly.name, "late_test"));
    expect([late.count, late.sum, late.min, late.max]).toEqual([4, 100, 10, 40]);

    // Aggregates older than their own retention go.
    const later = await runSystemMetricsRetention(handle.db, {
      now: new Date(NOW.getTime() + 70 * 24 * HOUR),
      rawDays: 30,
      hourlyDays: 90,
    });
    expect(later.deletedHourly).toBe(3);
  });
});

describe("hourly aggregates of large and per-run labels", () => {
  const hour = new Date(NOW.getTime() - 5 * HOUR);
  const at = (minutes: number) => new Date(hour.getTime() + minutes * 60_000);

  it("aggregate a point carrying the most labels the API takes (20 of 200 random characters)", async () => {
    // Random, so nothing compresses: a btree entry over the labels themselves would exceed
    // Postgres's 2,704 bytes and stop the hour (and every later one) from aggregating.
    const labels = Object.fromEntries(
      Array.from({ length: 20 }, (_, i) => [`k${i}`, randomBytes(100).toString("hex")]),
    );
    await insertMetricPoints(handle.db, [
      { type: "custom", name: "wide_labels", value: 3, labels, at: at(1) },
      { type: "custom", name: "wide_labels", value: 5, labels, at: at(2) },
    ]);
    const result = await aggregatePendingHours(handle.db, NOW);
    expect(result.failed).toBe(0);
    const rows = await handle.db.select().from(systemMetricsHourly).where(eq(systemMetricsHourly.name, "wide_labels"));
    expect(rows.map((r) => [r.hour.toISOString(), r.count, r.sum, r.labels])).toEqual([
      [hour.toISOString(), 2, 8, labels],
    ]);
  });

  it("fold the runs of an hour into one row per phase, without their run ids", async () => {
    const phase = (run: number, ms: number, minutes: number) => ({
      type: "processing_time" as const,
      name: "per_run_test",
      value: ms,
      labels: { function: "sync-client", phase: "fetch", run: String(run) },
      at: at(minutes),
    });
    await insertMetricPoints(handle.db, [phase(1, 100, 3), phase(2, 300, 20), phase(3, 200, 40)]);
    await aggregatePendingHours(handle.db, NOW);
    const rows = await handle.db.select().from(systemMetricsHourly).where(eq(systemMetricsHourly.name, "per_run_test"));
    expect(rows.map((r) => [r.labels, r.count, r.min, r.max, r.p50])).toEqual([
      [{ function: "sync-client", phase: "fetch" }, 3, 100, 300, 200],
    ]);
  });
});

describe("the recorder when the database fails", () => {
  const probe = (name: string, value: number, labels: Record<string, string> = {}) => ({
    type: "custom" as const,
    name,
    value,
    labels,
    at: new Date(NOW.getTime() - HOUR),
  });
  const stored = async (name: string) =>
    (await handle.db.select().from(systemMetrics).where(eq(systemMetrics.name, name))).map((p) => p.value).sort();

  it("keeps every point through repeated failed writes and writes them all once the table is back", async () => {
    const recorder = new MetricRecorder(handle.db);
    await handle.db.execute(sql`alter table system_metrics rename to system_metrics_away`);
    try {
      recorder.record([probe("outage_test", 1), probe("outage_test", 2), probe("outage_test", 3)]);
      for (let i = 0; i < 6; i++) await recorder.flush();
      expect([recorder.stats.failedWrites, recorder.stats.dropped, recorder.stats.buffered]).toEqual([6, 0, 3]);
    } finally {
      await handle.db.execute(sql`alter table system_metrics_away rename to system_metrics`);
    }
    await recorder.flush();
    expect([recorder.stats.written, recorder.stats.buffered, recorder.stats.dropped]).toEqual([3, 0, 0]);
    expect(await stored("outage_test")).toEqual([1, 2, 3]);
  });

  it("stores the good points of a batch the database refuses and drops only the refused one", async () => {
    const recorder = new MetricRecorder(handle.db);
    // jsonb cannot hold a NUL character (SQLSTATE 22P05): the whole batch's insert fails.
    recorder.record([probe("refused_test", 1), probe("refused_test", 2, { k: "a\u0000b" }), probe("refused_test", 3)]);
    await recorder.flush();
    expect([recorder.stats.written, recorder.stats.dropped, recorder.stats.buffered]).toEqual([2, 1, 0]);
    expect(await stored("refused_test")).toEqual([1, 3]);
  });
});
