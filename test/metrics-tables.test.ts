import { queryRows } from "@/lib/db/database";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { syncRuns } from "@/lib/db/schema";
import { GET as recentGET } from "@/app/api/v1/metrics/recent-activity/route";
import { GET as workflowsGET } from "@/app/api/v1/metrics/workflows/route";
import { GET as allGET } from "@/app/api/v1/metrics/all/route";
import { GET as historicalGET } from "@/app/api/v1/clients/[id]/historical/route";
import type {
  AllClientsResponse,
  HistoricalResponse,
  RecentActivityResponse,
  WorkflowsResponse,
} from "@/lib/metrics/types";
import { createClient } from "./helpers/factories";
import { PREVIOUS_START, range, useSeededMetricsDatabase } from "./helpers/metrics-suite";
import { expectClose, getCsv, getJson } from "./helpers/metrics-http";
import { END, exactPercentile, expectedFigures, GAP_DAY, MINUTES, productionIn, START } from "./helpers/metrics-seed";

const suite = useSeededMetricsDatabase();

describe("GET /api/v1/metrics/recent-activity", () => {
  it("lists the newest production executions with LLM tokens and cost", async () => {
    const body = await getJson<RecentActivityResponse>(recentGET, "/api/v1/metrics/recent-activity", {
      clientId: suite.seed.clientId,
      limit: 5,
    });
    const expected = suite.seed.rows
      .filter((r) => r.isProduction)
      .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime())
      .slice(0, 5);
    expect(body.items.map((i) => i.startedAt)).toEqual(expected.map((r) => r.startedAt.toISOString()));
    expect(body.items.map((i) => i.status)).toEqual(expected.map((r) => r.status));
    expect(body.items[0]).toMatchObject({
      workflowName: expect.any(String),
      mode: "trigger",
      llmTokens: 0,
      costUsd: null,
    });

    const all = await getJson<RecentActivityResponse>(recentGET, "/api/v1/metrics/recent-activity", {
      clientId: suite.seed.clientId,
      limit: 100,
    });
    expect(all.items).toHaveLength(100);
    // The first three A runs of the range carry LLM usage (the third unpriced).
    const withLlm = all.items.filter((i) => i.llmTokens > 0).reverse();
    expect(withLlm.map((i) => [i.workflowName, i.llmTokens, i.costUsd])).toEqual([
      ["Invoice sync", 140, 0.0015],
      ["Invoice sync", 280, 0.0025],
      ["Invoice sync", 15, null],
    ]);
    expect(withLlm.map((i) => i.startedAt)).toEqual(
      suite.seed.rows
        .filter((r) => r.workflow === "a" && r.startedAt >= START)
        .slice(0, 3)
        .map((r) => r.startedAt.toISOString()),
    );
    const fallback = await getJson<RecentActivityResponse>(recentGET, "/api/v1/metrics/recent-activity", {
      clientId: suite.seed.clientId,
    });
    expect(fallback.items).toHaveLength(10);
  });

  it("exports the rows as CSV", async () => {
    const { header, rows } = await getCsv(recentGET, "/api/v1/metrics/recent-activity", {
      clientId: suite.seed.clientId,
      limit: 3,
    });
    expect(header.slice(0, 5)).toEqual(["executionId", "workflowId", "workflowName", "status", "mode"]);
    expect(rows).toHaveLength(3);
  });
});

describe("GET /api/v1/metrics/workflows", () => {
  it("answers a performance row per workflow with comparison and last run", async () => {
    const body = await getJson<WorkflowsResponse>(workflowsGET, "/api/v1/metrics/workflows", {
      clientId: suite.seed.clientId,
      ...range,
    });
    expect(body.workflows.map((w) => w.name)).toEqual(["Invoice sync", "Lead router", "Old report"]);
    for (const w of body.workflows) {
      const key = (Object.entries(suite.seed.workflowIds).find(([, id]) => id === w.workflowId) ?? [])[0] as
        "a" | "b" | "c";
      const mine = suite.seed.rows.filter((r) => r.workflow === key);
      const now = productionIn(mine, START, END);
      const before = productionIn(mine, PREVIOUS_START, START);
      expect(w.executions).toBe(now.length);
      expect(w.comparison.executions.previous).toBe(before.length);
      if (now.length === 0) {
        expect(w).toMatchObject({ successRate: null, avgDurationMs: null, p95DurationMs: null, timeSavedMinutes: 0 });
      } else {
        const f = expectedFigures(now, MINUTES);
        expect(w).toMatchObject({
          success: f.success,
          failures: f.failures,
          successRate: f.successRate,
          avgDurationMs: f.avgDurationMs,
        });
        expect(w.timeSavedMinutes).toBeCloseTo(f.minutesSaved, 6);
        expectClose(w.p95DurationMs, exactPercentile(f.durations, 0.95));
      }
      const last = mine
        .filter((r) => r.isProduction && r.startedAt < END)
        .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime())[0];
      expect(w.lastRunAt).toBe(last.startedAt.toISOString());
      expect(w.lastRunStatus).toBe(last.status);
    }
    expect(body.workflows[0]).toMatchObject({ llmCalls: 3, costUsd: 0.004 });
  });

  it("exports the table as CSV", async () => {
    const { header, rows } = await getCsv(workflowsGET, "/api/v1/metrics/workflows", {
      clientId: suite.seed.clientId,
      ...range,
    });
    expect(header).toContain("executions_previous");
    expect(header).not.toContain("comparison");
    expect(rows.map((r) => r.name)).toEqual(["Invoice sync", "Lead router", "Old report"]);
    expect(Number(rows[2].executions)).toBe(0);
  });
});

describe("GET /api/v1/clients/{id}/historical", () => {
  const path = (id: number) => `/api/v1/clients/${id}/historical`;

  it("answers the stored daily, weekly and monthly rollups, per client or per workflow", async () => {
    const from = PREVIOUS_START.toISOString();
    const daily = await getJson<HistoricalResponse>(
      historicalGET,
      path(suite.seed.clientId),
      { start: from, end: END.toISOString() },
      { id: String(suite.seed.clientId) },
    );
    const production = productionIn(suite.seed.rows, PREVIOUS_START, END);
    const days = new Set(production.map((r) => r.startedAt.toISOString().slice(0, 10)));
    expect(daily).toMatchObject({ period: "daily", granularity: "day", workflowId: null });
    expect(daily.rows).toHaveLength(days.size);
    expect(daily.rows.some((r) => r.bucket === GAP_DAY.toISOString())).toBe(false);
    expect(daily.rows.reduce((n, r) => n + r.executions, 0)).toBe(production.length);
    for (const r of daily.rows) expect(r.failures).toBe(r.error + r.crashed);

    const weekly = await getJson<HistoricalResponse>(
      historicalGET,
      path(suite.seed.clientId),
      { start: from, end: END.toISOString(), period: "weekly" },
      { id: String(suite.seed.clientId) },
    );
    expect(weekly.rows.map((r) => [r.bucket, r.executions])).toEqual([
      [PREVIOUS_START.toISOString(), productionIn(suite.seed.rows, PREVIOUS_START, START).length],
      [START.toISOString(), productionIn(suite.seed.rows, START, END).length],
    ]);

    const onlyB = await getJson<HistoricalResponse>(
      historicalGET,
      path(suite.seed.clientId),
      { start: from, end: END.toISOString(), period: "monthly", workflowId: suite.seed.workflowIds.b },
      { id: String(suite.seed.clientId) },
    );
    const bRows = suite.seed.rows.filter((r) => r.workflow === "b" && r.isProduction);
    expect(onlyB.rows).toEqual([
      expect.objectContaining({ bucket: "2026-03-01T00:00:00.000Z", executions: bRows.length, peakConcurrency: 1 }),
    ]);
    const f = expectedFigures(bRows, MINUTES);
    expectClose(onlyB.rows[0].p95DurationMs, exactPercentile(f.durations, 0.95));
    expect(onlyB.rows[0]).toMatchObject({
      minDurationMs: Math.min(...f.durations),
      maxDurationMs: Math.max(...f.durations),
    });
  });

  it("exports the rows as CSV", async () => {
    const { header, rows } = await getCsv(
      historicalGET,
      path(suite.seed.clientId),
      { start: START.toISOString(), end: END.toISOString(), period: "weekly" },
      { id: String(suite.seed.clientId) },
    );
    expect(header[0]).toBe("bucket");
    expect(rows).toEqual([
      expect.objectContaining({
        bucket: START.toISOString(),
        executions: String(productionIn(suite.seed.rows, START, END).length),
      }),
    ]);
  });
});

describe("GET /api/v1/metrics/all", () => {
  it("lists every client with figures, comparison and freshness", async () => {
    const now = new Date();
    await suite.handle.db.insert(syncRuns).values({
      function: "sync-client",
      trigger: "manual",
      clientId: suite.seed.clientId,
      status: "success",
      startedAt: new Date(now.getTime() - 5000),
      finishedAt: now,
    });
    const idle = await createClient(suite.handle.db, { name: "Idle client" });
    const body = await getJson<AllClientsResponse>(allGET, "/api/v1/metrics/all", range);
    expect(body.source).toBe("hour");
    expect(body.collectIntervalSeconds).toBeGreaterThan(0);
    const mine = body.clients.find((c) => c.clientId === suite.seed.clientId);
    const f = expectedFigures(productionIn(suite.seed.rows, START, END), MINUTES);
    const before = productionIn(suite.seed.rows, PREVIOUS_START, START);
    expect(mine).toMatchObject({ executions: f.executions, successRate: f.successRate, failures: f.failures });
    expect(mine?.timeSavedMinutes).toBeCloseTo(f.minutesSaved, 6);
    expect(mine?.comparison.executions).toMatchObject({ previous: before.length, delta: f.executions - before.length });
    expect(mine?.freshness).toMatchObject({ stale: false, lastRunStatus: "success", lastSyncAt: now.toISOString() });
    // Clients that never synced are stale and show zeros, not missing rows.
    const never = body.clients.find((c) => c.clientId === idle.id);
    expect(never?.freshness).toMatchObject({ stale: true, lastSyncAt: null, ageSeconds: null });
    expect(never?.executions).toBe(0);
    expect(never?.health).toEqual({ state: "first-sync", reason: "Waiting for its first sync" });

    // A sparkline's worth: every hour of the 7 days, adding up to the range's figures.
    expect(mine?.trend).toHaveLength(7 * 24);
    expect(mine?.trend.reduce((n, p) => n + p.executions, 0)).toBe(f.executions);
    expect(mine?.trend.reduce((n, p) => n + p.failures, 0)).toBe(f.failures);
    // The newest failed production run (n8n's newest id), whenever it was.
    const [newest] = await queryRows<{ id: unknown; started_at: Date | string }>(
      suite.handle.db,
      sql`select n8n_execution_id as id, started_at from executions
        where client_id = ${suite.seed.clientId} and status in ('error', 'crashed') and is_production
        order by n8n_execution_id desc limit 1`,
    );
    expect(mine?.lastFailure).toMatchObject({
      executionId: Number(newest.id),
      startedAt: new Date(newest.started_at).toISOString(),
    });
    expect(never?.lastFailure).toBeNull();
    // Worst first: no client listed after one in a better state.
    const order = ["failing", "degraded", "first-sync", "healthy", "inactive"];
    const ranks = body.clients.map((c) => order.indexOf(c.health.state));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });

  it("exports one CSV row per client", async () => {
    const { header, rows } = await getCsv(allGET, "/api/v1/metrics/all", range);
    expect(header).toEqual(
      expect.arrayContaining([
        "clientId",
        "executions",
        "successRate",
        "stale",
        "lastSyncAt",
        "health",
        "lastFailureAt",
      ]),
    );
    expect(header).not.toContain("trend");
    expect(rows.find((r) => r.clientId === String(suite.seed.clientId))?.executions).toBe(
      String(productionIn(suite.seed.rows, START, END).length),
    );
  });
});
