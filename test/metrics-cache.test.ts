import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished, vi } from "vitest";
import type { DatabaseHandle } from "@/lib/db/database";
import { GET as overviewGET } from "@/app/api/v1/metrics/overview/route";
import { GET as seriesGET } from "@/app/api/v1/metrics/series/route";
import { GET as liveSummaryGET } from "@/app/api/v1/metrics/live-summary/route";
import { GET as allGET } from "@/app/api/v1/metrics/all/route";
import { GET as executionGET } from "@/app/api/v1/metrics/execution/route";
import type { ExecutionMetrics } from "@/lib/metrics/execution";
import { runRetentionJob, runRollupJob } from "@/lib/jobs";
import { clearMetricsCache, dataVersion, metricsCacheStats } from "@/lib/metrics/cache";
import type { AllClientsResponse, OverviewResponse, SeriesResponse, SummaryResponse } from "@/lib/metrics/types";
import { eq } from "drizzle-orm";
import { syncRuns } from "@/lib/db/schema";
import { queueRun, recordRun } from "@/lib/runs/record";
import { refreshRollups } from "@/lib/ingest/rollups";
import { createTestDatabase } from "./helpers/db";
import { callRoute, pinClock, qs, useAsAppDatabase } from "./helpers/app-db";
import { createClient, createWorkflow, insertExecutions } from "./helpers/factories";
import { END, HOUR, START } from "./helpers/metrics-seed";

let handle: DatabaseHandle;
beforeAll(async () => {
  pinClock(vi, new Date("2026-03-10T12:00:00Z"));
  handle = await createTestDatabase();
  useAsAppDatabase(handle);
});
afterAll(async () => {
  vi.useRealTimers();
  await handle.close();
});
beforeEach(() => clearMetricsCache());

const range = { start: START.toISOString(), end: END.toISOString() };

async function get<T>(
  route: Parameters<typeof callRoute>[0],
  path: string,
  params: Record<string, string | number>,
): Promise<T> {
  const res = await callRoute(route, `${path}?${qs(params)}`);
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

const executionsOf = (o: OverviewResponse) => o.totals.find((t) => t.metric === "executions")?.value ?? 0;

async function clientWithRuns(count: number) {
  const client = await createClient(handle.db);
  const wf = await createWorkflow(handle.db, client.id);
  await insertExecutions(
    handle.db,
    { clientId: client.id, workflowId: wf.id },
    Array.from({ length: count }, (_, i) => ({ startedAt: new Date(START.getTime() + (i + 1) * HOUR) })),
  );
  await runRollupJob(handle.db, { trigger: "manual", clientId: client.id });
  return { client, wf };
}

describe("metrics cache", () => {
  it("serves a repeated rollup answer from the cache, and a completed sync invalidates it", async () => {
    const { client, wf } = await clientWithRuns(3);
    const overview = () =>
      get<OverviewResponse>(overviewGET, "/api/v1/metrics/overview", { clientId: client.id, ...range });
    expect(executionsOf(await overview())).toBe(3);
    // Two entries: the answer, and the bucket rows it read (read-pieces.ts).
    expect(metricsCacheStats()).toEqual({ hits: 0, misses: 2 });
    expect(executionsOf(await overview())).toBe(3);
    expect(metricsCacheStats()).toEqual({ hits: 1, misses: 2 });

    // Rows written and rolled up but no job finished: the answer is still that of the last completed run.
    await insertExecutions(handle.db, { clientId: client.id, workflowId: wf.id }, [
      { startedAt: new Date(START.getTime() + 50 * HOUR) },
    ]);
    await refreshRollups(handle.db, { clientId: client.id });
    expect(executionsOf(await overview())).toBe(3);

    // A sync completes (as sync-client records it): the next answer is recomputed.
    await recordRun(handle.db, { function: "sync-client", trigger: "manual", clientId: client.id }, async () => ({}));
    expect(executionsOf(await overview())).toBe(4);
    expect(metricsCacheStats().misses).toBe(4);
  });

  it("a rollup job's write changes the answer, including a failed job's", async () => {
    const { client, wf } = await clientWithRuns(2);
    const series = () =>
      get<SeriesResponse>(seriesGET, "/api/v1/metrics/series", { clientId: client.id, ...range, granularity: "day" });
    const total = (s: SeriesResponse) => s.series.reduce((n, p) => n + (p.executions ?? 0), 0);
    expect(total(await series())).toBe(2);

    await insertExecutions(handle.db, { clientId: client.id, workflowId: wf.id }, [
      { startedAt: new Date(START.getTime() + 30 * HOUR) },
    ]);
    await runRollupJob(handle.db, { trigger: "manual", clientId: client.id });
    expect(total(await series())).toBe(3);

    // A job that wrote and then failed still ends its run: the version moves.
    await insertExecutions(handle.db, { clientId: client.id, workflowId: wf.id }, [
      { startedAt: new Date(START.getTime() + 31 * HOUR) },
    ]);
    await expect(
      recordRun(handle.db, { function: "sync-client", trigger: "manual", clientId: client.id }, async () => {
        await refreshRollups(handle.db, { clientId: client.id });
        throw new Error("n8n went away");
      }),
    ).rejects.toThrow("n8n went away");
    expect(total(await series())).toBe(4);
  });

  it("another client's sync keeps this client's entries; a global job (retention) invalidates all", async () => {
    const a = await clientWithRuns(2);
    const b = await clientWithRuns(1);
    const before = await dataVersion(handle.db, a.client.id);
    const bBefore = await dataVersion(handle.db, b.client.id);
    await recordRun(handle.db, { function: "sync-client", trigger: "manual", clientId: b.client.id }, async () => ({}));
    expect(await dataVersion(handle.db, a.client.id)).toBe(before);
    expect(await dataVersion(handle.db, b.client.id)).not.toBe(bBefore);

    await runRetentionJob(handle.db, { trigger: "manual" });
    expect(await dataVersion(handle.db, a.client.id)).not.toBe(before);
  });

  it("a run finished any way bumps its client's version (the trigger, not the job, keeps it)", async () => {
    const { client } = await clientWithRuns(1);
    const all = await dataVersion(handle.db, null);
    const before = await dataVersion(handle.db, client.id);
    // A queued run that a lease expiry, a failed dispatch or an interrupted start finishes
    // is one UPDATE of finished_at outside recordRun.
    const runId = await queueRun(handle.db, { function: "sync-client", trigger: "manual", clientId: client.id });
    expect(await dataVersion(handle.db, client.id)).toBe(before);
    await handle.db
      .update(syncRuns)
      .set({ status: "error", finishedAt: new Date(), error: "expired" })
      .where(eq(syncRuns.id, runId));
    const after = await dataVersion(handle.db, client.id);
    expect(after).not.toBe(before);
    expect(await dataVersion(handle.db, null)).not.toBe(all);
    // Touching a finished run without changing finished_at is not new data.
    await handle.db.update(syncRuns).set({ error: "expired (lease)" }).where(eq(syncRuns.id, runId));
    expect(await dataVersion(handle.db, client.id)).toBe(after);
  });

  it("the all-clients overview follows every client's syncs", async () => {
    const { client, wf } = await clientWithRuns(1);
    const all = () => get<AllClientsResponse>(allGET, "/api/v1/metrics/all", range);
    const mine = (r: AllClientsResponse) => r.clients.find((c) => c.clientId === client.id)?.executions;
    expect(mine(await all())).toBe(1);
    expect(mine(await all())).toBe(1);
    expect(metricsCacheStats().hits).toBe(1);
    await insertExecutions(handle.db, { clientId: client.id, workflowId: wf.id }, [
      { startedAt: new Date(START.getTime() + 60 * HOUR) },
    ]);
    await runRollupJob(handle.db, { trigger: "manual", clientId: client.id });
    expect(mine(await all())).toBe(2);
  });

  it("live answers are never cached", async () => {
    const { client, wf } = await clientWithRuns(2);
    const live = () =>
      get<SummaryResponse>(liveSummaryGET, "/api/v1/metrics/live-summary", { clientId: client.id, ...range });
    const executions = (s: SummaryResponse) => s.summary.find((r) => r.metric === "executions")?.total;
    expect(executions(await live())).toBe(2);
    await insertExecutions(handle.db, { clientId: client.id, workflowId: wf.id }, [
      { startedAt: new Date(START.getTime() + 70 * HOUR) },
    ]);
    expect(executions(await live())).toBe(3);
    expect(metricsCacheStats()).toEqual({ hits: 0, misses: 0 });
  });

  it("keys on the range: a different range is a different entry", async () => {
    const { client } = await clientWithRuns(5);
    const first = await get<OverviewResponse>(overviewGET, "/api/v1/metrics/overview", {
      clientId: client.id,
      ...range,
    });
    const shorter = await get<OverviewResponse>(overviewGET, "/api/v1/metrics/overview", {
      clientId: client.id,
      start: START.toISOString(),
      end: new Date(START.getTime() + 3 * HOUR).toISOString(),
    });
    expect(executionsOf(first)).toBe(5);
    expect(executionsOf(shorter)).toBe(2);
    // Each range: its answer and its bucket rows.
    expect(metricsCacheStats()).toEqual({ hits: 0, misses: 4 });
  });

  it("caches the rollup-backed sections of metrics/execution within a minute, and a completed sync invalidates them", async () => {
    const { client, wf } = await clientWithRuns(3);
    const execution = () =>
      get<ExecutionMetrics>(executionGET, "/api/v1/metrics/execution", { clientId: client.id, ...range });
    expect((await execution()).throughput.total).toBe(3);
    const first = metricsCacheStats();
    expect((await execution()).throughput.total).toBe(3);
    // Throughput, latency, performance and patterns: realtime is read fresh.
    expect(metricsCacheStats().hits - first.hits).toBe(4);

    await insertExecutions(handle.db, { clientId: client.id, workflowId: wf.id }, [
      { startedAt: new Date(START.getTime() + 60 * HOUR) },
    ]);
    await runRollupJob(handle.db, { trigger: "manual", clientId: client.id });
    expect((await execution()).throughput.total).toBe(4);
  });

  it("answers a relative range's raw edges from the rows, not from rollups, once a run has finished", async () => {
    const { client, wf } = await clientWithRuns(1);
    // Half past: the range's edges are partial hours, read raw.
    const now = new Date("2026-03-10T12:30:00Z");
    vi.setSystemTime(now);
    onTestFinished(() => void vi.setSystemTime(new Date("2026-03-10T12:00:00Z")));
    await insertExecutions(handle.db, { clientId: client.id, workflowId: wf.id }, [
      { startedAt: new Date(now.getTime() - 3 * HOUR) },
    ]);
    await runRollupJob(handle.db, { trigger: "manual", clientId: client.id });
    const overview = () =>
      get<OverviewResponse>(overviewGET, "/api/v1/metrics/overview", { clientId: client.id, timeframe: "24h" });
    expect(executionsOf(await overview())).toBe(1);
    expect(executionsOf(await overview())).toBe(1);
    expect(metricsCacheStats().hits).toBe(1);
    // A run in the current, partial hour, never rolled up: a finished sync makes it count.
    await insertExecutions(handle.db, { clientId: client.id, workflowId: wf.id }, [
      { startedAt: new Date(now.getTime() - 60_000) },
    ]);
    expect(executionsOf(await overview())).toBe(1);
    await recordRun(handle.db, { function: "sync-client", trigger: "manual", clientId: client.id }, async () => ({}));
    expect(executionsOf(await overview())).toBe(2);
  });

  it("ends a relative range at the current second, and says so", async () => {
    const { client } = await clientWithRuns(1);
    vi.setSystemTime(new Date("2026-03-10T12:30:05.750Z"));
    onTestFinished(() => void vi.setSystemTime(new Date("2026-03-10T12:00:00Z")));
    const body = await get<OverviewResponse>(overviewGET, "/api/v1/metrics/overview", {
      clientId: client.id,
      timeframe: "1h",
    });
    expect(body.period.start).toBe("2026-03-10T11:30:05.000Z");
    expect(body.period.end).toBe("2026-03-10T12:30:05.000Z");
  });
});
