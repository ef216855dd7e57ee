import { describe, expect, it, vi } from "vitest";
import { GET as overviewGET } from "@/app/api/v1/metrics/overview/route";
import { GET as summaryGET } from "@/app/api/v1/metrics/summary/route";
import { GET as seriesGET } from "@/app/api/v1/metrics/series/route";
import { GET as liveSummaryGET } from "@/app/api/v1/metrics/live-summary/route";
import { GET as liveSeriesGET } from "@/app/api/v1/metrics/live-series/route";
import { getOverview } from "@/lib/metrics/overview";
import type { OverviewResponse, SeriesResponse, SummaryResponse } from "@/lib/metrics/types";
import { createClient } from "./helpers/factories";
import { callRoute, qs } from "./helpers/app-db";
import { NOW, PREVIOUS_START, range, useSeededMetricsDatabase } from "./helpers/metrics-suite";
import { expectClose, getCsv, getJson } from "./helpers/metrics-http";
import {
  DAY,
  END,
  exactPercentile,
  expectedFigures,
  GAP_DAY,
  HOUR,
  MINUTES,
  productionIn,
  START,
} from "./helpers/metrics-seed";

const suite = useSeededMetricsDatabase();

describe("GET /api/v1/metrics/overview", () => {
  it("answers totals in priority order with comparisons, and a daily trend with gaps", async () => {
    const body = await getJson<OverviewResponse>(overviewGET, "/api/v1/metrics/overview", {
      clientId: suite.seed.clientId,
      ...range,
    });
    const now = expectedFigures(productionIn(suite.seed.rows, START, END), MINUTES);
    const before = expectedFigures(productionIn(suite.seed.rows, PREVIOUS_START, START), MINUTES);
    expect(body.source).toBe("hour");
    expect(body.period).toEqual({ start: START.toISOString(), end: END.toISOString(), days: 7 });
    expect(body.previousPeriod.start).toBe(PREVIOUS_START.toISOString());
    expect(body.totals.map((t) => t.metric)).toEqual([
      "executions",
      "success_rate",
      "failures",
      "avg_duration_ms",
      "p95_duration_ms",
      "time_saved_minutes",
      "llm_calls",
      "llm_cost_usd",
    ]);
    const total = Object.fromEntries(body.totals.map((t) => [t.metric, t]));
    expect(total.executions).toMatchObject({
      value: now.executions,
      previous: before.executions,
      delta: now.executions - before.executions,
      unit: "count",
      label: "Executions",
    });
    expect(total.executions.deltaPct).toBeCloseTo((100 * (now.executions - before.executions)) / before.executions, 1);
    expect(total.success_rate).toMatchObject({ value: now.successRate, previous: before.successRate, unit: "percent" });
    expect(total.success_rate.delta).toBeCloseTo(now.successRate - before.successRate, 2);
    expect(total.failures).toMatchObject({ value: now.failures, previous: before.failures });
    expect(total.avg_duration_ms.value).toBe(now.avgDurationMs);
    expectClose(total.p95_duration_ms.value, exactPercentile(now.durations, 0.95));
    expect(total.time_saved_minutes.value).toBeCloseTo(now.minutesSaved, 6);
    expect(total.time_saved_minutes.previous).toBeCloseTo(before.minutesSaved, 6);
    expect(total.llm_calls).toMatchObject({ value: 3, previous: 0, delta: 3, deltaPct: null });
    expect(total.llm_cost_usd).toMatchObject({ value: 0.004, previous: 0, delta: 0.004, deltaPct: null, unit: "usd" });

    expect(body.dailyTrend.map((d) => d.date)).toEqual(
      Array.from({ length: 7 }, (_, i) => new Date(START.getTime() + i * DAY).toISOString()),
    );
    const gap = body.dailyTrend.find((d) => d.date === GAP_DAY.toISOString());
    expect(gap?.metrics.executions).toBeNull();
    expect(gap?.metrics.success_rate).toBeNull();
    for (const d of body.dailyTrend.filter((d) => d.date !== GAP_DAY.toISOString())) {
      const day = new Date(d.date);
      expect(d.metrics.executions).toBe(productionIn(suite.seed.rows, day, new Date(day.getTime() + DAY)).length);
    }
  });

  it("answers an old range from daily rollups once its hours are past retention", async () => {
    const recent = await getJson<OverviewResponse>(overviewGET, "/api/v1/metrics/overview", {
      clientId: suite.seed.clientId,
      ...range,
    });
    vi.setSystemTime(new Date("2026-11-22T00:00:00Z"));
    try {
      const old = await getJson<OverviewResponse>(overviewGET, "/api/v1/metrics/overview", {
        clientId: suite.seed.clientId,
        ...range,
      });
      expect(old.source).toBe("day");
      expect(old.totals.find((t) => t.metric === "executions")).toEqual(
        recent.totals.find((t) => t.metric === "executions"),
      );
      // An explicit source is obeyed.
      const forced = await getJson<SeriesResponse>(seriesGET, "/api/v1/metrics/series", {
        clientId: suite.seed.clientId,
        ...range,
        source: "hourly",
      });
      expect(forced.source).toBe("hour");
    } finally {
      vi.setSystemTime(NOW);
    }
  });

  it("is the same answer as the lib function pages call", async () => {
    const direct = await getOverview(suite.handle.db, {
      clientId: suite.seed.clientId,
      range: { start: START, end: END },
    });
    const viaRoute = await getJson<OverviewResponse>(overviewGET, "/api/v1/metrics/overview", {
      clientId: suite.seed.clientId,
      ...range,
    });
    expect(viaRoute).toEqual(JSON.parse(JSON.stringify(direct)));
  });

  it("shows only metrics with data: a client without executions has no cards", async () => {
    const empty = await createClient(suite.handle.db);
    const body = await getJson<OverviewResponse>(overviewGET, "/api/v1/metrics/overview", {
      clientId: empty.id,
      ...range,
    });
    expect(body.totals).toEqual([]);
    expect(body.dailyTrend).toHaveLength(7);
    expect(body.dailyTrend.every((d) => Object.values(d.metrics).every((v) => v === null))).toBe(true);
  });

  it("exports the daily trend as CSV", async () => {
    const { header, rows } = await getCsv(overviewGET, "/api/v1/metrics/overview", {
      clientId: suite.seed.clientId,
      ...range,
    });
    expect(header).toEqual([
      "date",
      "executions",
      "success_rate",
      "failures",
      "avg_duration_ms",
      "p95_duration_ms",
      "time_saved_minutes",
      "llm_calls",
      "llm_cost_usd",
    ]);
    expect(rows).toHaveLength(7);
    expect(rows[0].date).toBe(START.toISOString());
    expect(Number(rows[0].executions)).toBe(
      productionIn(suite.seed.rows, START, new Date(START.getTime() + DAY)).length,
    );
    expect(rows[3]).toMatchObject({ date: GAP_DAY.toISOString(), executions: "" });
  });
});

describe("GET /api/v1/metrics/summary and live-summary", () => {
  it("sums the range from rollups, with per-bucket spread and percentiles within the histogram's error", async () => {
    const body = await getJson<SummaryResponse>(summaryGET, "/api/v1/metrics/summary", {
      clientId: suite.seed.clientId,
      ...range,
    });
    const rows = productionIn(suite.seed.rows, START, END);
    const now = expectedFigures(rows, MINUTES);
    expect(body).toMatchObject({
      source: "hour",
      granularity: "hour",
      start: START.toISOString(),
      end: END.toISOString(),
    });
    const byMetric = Object.fromEntries(body.summary.map((r) => [r.metric, r]));
    const hours = new Map<number, number>();
    for (const r of rows)
      hours.set(
        Math.floor(r.startedAt.getTime() / HOUR),
        (hours.get(Math.floor(r.startedAt.getTime() / HOUR)) ?? 0) + 1,
      );
    expect(byMetric.executions).toMatchObject({
      total: now.executions,
      count: hours.size,
      min: Math.min(...hours.values()),
      max: Math.max(...hours.values()),
    });
    expect(byMetric.success_rate).toMatchObject({ total: now.successRate, count: now.finished, min: 0, max: 100 });
    expect(byMetric.failures.total).toBe(now.failures);
    expect(byMetric.avg_duration_ms).toMatchObject({
      total: now.avgDurationMs,
      count: now.durations.length,
      min: Math.min(...now.durations),
      max: Math.max(...now.durations),
    });
    expect(byMetric.llm_cost_usd.total).toBe(0.004);
    for (const q of [0.5, 0.75, 0.9, 0.95, 0.99] as const) {
      const key = `p${Math.round(q * 100)}` as keyof SummaryResponse["percentiles"];
      expectClose(body.percentiles[key], exactPercentile(now.durations, q));
    }
  });

  it("agrees with live-summary from raw executions: counts exactly, percentiles within 2%", async () => {
    for (const params of [range, { start: START.toISOString(), end: END.toISOString(), source: "daily" }]) {
      const rollup = await getJson<SummaryResponse>(summaryGET, "/api/v1/metrics/summary", {
        clientId: suite.seed.clientId,
        ...params,
      });
      const live = await getJson<SummaryResponse>(liveSummaryGET, "/api/v1/metrics/live-summary", {
        clientId: suite.seed.clientId,
        ...params,
      });
      expect(live.source).toBe("raw");
      expect(live.granularity).toBe(rollup.granularity);
      for (const metric of [
        "executions",
        "success_rate",
        "failures",
        "avg_duration_ms",
        "time_saved_minutes",
        "llm_calls",
        "llm_cost_usd",
      ]) {
        expect(
          live.summary.find((r) => r.metric === metric),
          metric,
        ).toEqual(rollup.summary.find((r) => r.metric === metric));
      }
      const exact = live.percentiles;
      const durations = expectedFigures(productionIn(suite.seed.rows, START, END), MINUTES).durations;
      expect(exact.p95).toBeCloseTo(exactPercentile(durations, 0.95), 0);
      for (const key of ["p50", "p75", "p90", "p95", "p99"] as const)
        expectClose(rollup.percentiles[key], exact[key] as number);
    }
  });

  it("exports the summary rows as CSV", async () => {
    const { header, rows } = await getCsv(summaryGET, "/api/v1/metrics/summary", {
      clientId: suite.seed.clientId,
      ...range,
    });
    expect(header).toEqual(["metric", "unit", "total", "count", "average", "min", "max"]);
    expect(rows.map((r) => r.metric)).toHaveLength(8);
    expect(Number(rows[0].total)).toBe(productionIn(suite.seed.rows, START, END).length);
  });
});

describe("GET /api/v1/metrics/series and live-series", () => {
  it("returns every hour of the range, nulls where no rollup row exists", async () => {
    const body = await getJson<SeriesResponse>(seriesGET, "/api/v1/metrics/series", {
      clientId: suite.seed.clientId,
      ...range,
    });
    expect(body).toMatchObject({ source: "hour", granularity: "hour" });
    expect(body.series).toHaveLength(7 * 24);
    const rows = productionIn(suite.seed.rows, START, END);
    for (const point of body.series) {
      const from = new Date(point.bucket);
      const inHour = productionIn(rows, from, new Date(from.getTime() + HOUR));
      if (inHour.length === 0) {
        expect(point.executions, point.bucket).toBeNull();
        expect(point.avgDurationMs).toBeNull();
      } else {
        expect(point.executions, point.bucket).toBe(inHour.length);
      }
    }
    expect(body.series.filter((p) => p.bucket.startsWith("2026-03-05")).every((p) => p.executions === null)).toBe(true);
  });

  it("narrows to one workflow: its hours only, and another client's workflow is a 404", async () => {
    const { clientId, workflowIds } = suite.seed;
    const body = await getJson<SeriesResponse>(seriesGET, "/api/v1/metrics/series", {
      clientId,
      ...range,
      granularity: "day",
      workflowId: workflowIds.b,
    });
    const rows = productionIn(suite.seed.rows, START, END).filter((r) => r.workflow === "b");
    expect(rows.length).toBeGreaterThan(0);
    for (const p of body.series) {
      const from = new Date(p.bucket);
      const inDay = productionIn(rows, from, new Date(from.getTime() + DAY));
      expect(p.executions, p.bucket).toBe(inDay.length || null);
      if (inDay.length) expect(p.successRate).toBe(expectedFigures(inDay, MINUTES).successRate);
    }
    const other = await createClient(suite.handle.db);
    const res = await callRoute(
      seriesGET,
      `/api/v1/metrics/series?${qs({ clientId: other.id, ...range, workflowId: workflowIds.b })}`,
    );
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({
      error: { message: expect.stringContaining(`Workflow ${workflowIds.b} not found`) },
    });
  });

  it("sums hours into days and weeks; a finer granularity than the source is refused", async () => {
    const days = await getJson<SeriesResponse>(seriesGET, "/api/v1/metrics/series", {
      clientId: suite.seed.clientId,
      ...range,
      granularity: "day",
    });
    expect(days.source).toBe("hour");
    expect(days.series).toHaveLength(7);
    const rows = productionIn(suite.seed.rows, START, END);
    for (const p of days.series) {
      const from = new Date(p.bucket);
      const inDay = productionIn(rows, from, new Date(from.getTime() + DAY));
      expect(p.executions).toBe(inDay.length || null);
      if (inDay.length) expect(p.successRate).toBe(expectedFigures(inDay, MINUTES).successRate);
    }
    const week = await getJson<SeriesResponse>(seriesGET, "/api/v1/metrics/series", {
      clientId: suite.seed.clientId,
      ...range,
      granularity: "week",
    });
    expect(week.series).toEqual([expect.objectContaining({ bucket: START.toISOString(), executions: rows.length })]);

    const monthly = await getJson<SeriesResponse>(seriesGET, "/api/v1/metrics/series", {
      clientId: suite.seed.clientId,
      ...range,
      source: "monthly",
    });
    expect(monthly.granularity).toBe("month");
    // The month bucket is clipped to the range: it counts the range's executions only.
    expect(monthly.series).toEqual([
      expect.objectContaining({ bucket: "2026-03-01T00:00:00.000Z", executions: rows.length }),
    ]);
  });

  it("agrees with live-series bucket by bucket", async () => {
    for (const granularity of ["hour", "day"]) {
      const rollup = await getJson<SeriesResponse>(seriesGET, "/api/v1/metrics/series", {
        clientId: suite.seed.clientId,
        ...range,
        granularity,
      });
      const live = await getJson<SeriesResponse>(liveSeriesGET, "/api/v1/metrics/live-series", {
        clientId: suite.seed.clientId,
        ...range,
        granularity,
      });
      expect(live.series.map((p) => p.bucket)).toEqual(rollup.series.map((p) => p.bucket));
      rollup.series.forEach((r, i) => {
        const l = live.series[i];
        const { p50DurationMs: rp50, p95DurationMs: rp95, p99DurationMs: rp99, ...rollupCounts } = r;
        const { p50DurationMs: lp50, p95DurationMs: lp95, p99DurationMs: lp99, ...liveCounts } = l;
        expect(liveCounts, r.bucket).toEqual(rollupCounts);
        if (lp95 === null) expect(rp95).toBeNull();
        else {
          expectClose(rp50, lp50 as number);
          expectClose(rp95, lp95);
          expectClose(rp99, lp99 as number);
        }
      });
    }
  });

  it("exports every bucket as a CSV row, empty cells for gaps", async () => {
    const { header, rows } = await getCsv(seriesGET, "/api/v1/metrics/series", {
      clientId: suite.seed.clientId,
      ...range,
      granularity: "day",
    });
    expect(header).toEqual([
      "bucket",
      "executions",
      "success",
      "failures",
      "successRate",
      "avgDurationMs",
      "p50DurationMs",
      "p95DurationMs",
      "p99DurationMs",
      "minutesSaved",
      "llmCalls",
      "costUsd",
    ]);
    expect(rows.map((r) => r.bucket)).toEqual(
      Array.from({ length: 7 }, (_, i) => new Date(START.getTime() + i * DAY).toISOString()),
    );
    expect(rows[3].executions).toBe("");
    expect(Number(rows[0].executions)).toBe(
      productionIn(suite.seed.rows, START, new Date(START.getTime() + DAY)).length,
    );
    const live = await getCsv(liveSeriesGET, "/api/v1/metrics/live-series", {
      clientId: suite.seed.clientId,
      ...range,
      granularity: "day",
    });
    expect(live.rows.map((r) => r.executions)).toEqual(rows.map((r) => r.executions));
  });
});
