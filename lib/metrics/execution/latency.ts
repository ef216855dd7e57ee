import { num, numOrNull } from "@/lib/db/database";
import { compare, pct, round } from "@/lib/metrics/compare";
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/lib/db/database";
import type { Granularity } from "@/lib/core/vocabulary";
import {
  bucketRepresentative,
  HISTOGRAM_ALPHA,
  histogramPercentile,
  histogramPercentiles,
  mergeHistograms,
  type LatencyHistogram,
} from "@/lib/core/histogram";
import type { Percentiles } from "@/lib/metrics/types";
import { rangeWindow, loadClient, rangeInfo, rollupsCovering, type SectionQuery } from "./context";
import { previousWindow, type BucketWindow } from "@/lib/metrics/window";
import type { LatencyBand, LatencyMetrics, WorkflowLatency } from "./types";

const S = 1000;
const M = 60 * S;

/** Bands of the distribution chart: [minMs, maxMs). */
export const LATENCY_BANDS: ReadonlyArray<Omit<LatencyBand, "count" | "percent">> = [
  { label: "<1s", minMs: 0, maxMs: S },
  { label: "1–5s", minMs: S, maxMs: 5 * S },
  { label: "5–30s", minMs: 5 * S, maxMs: 30 * S },
  { label: "30s–2m", minMs: 30 * S, maxMs: 2 * M },
  { label: "2–10m", minMs: 2 * M, maxMs: 10 * M },
  { label: ">10m", minMs: 10 * M, maxMs: null },
];

/** How many workflows `slowestWorkflows` lists. */
export const SLOWEST_LIMIT = 10;

/**
 * Counts per band from a histogram. Each histogram bucket goes wholly to the band of its
 * representative, so the counts sum to the total exactly; a duration within 1% of a band
 * edge may land in the neighbouring band.
 */
export function latencyDistribution(h: LatencyHistogram): LatencyBand[] {
  const counts = LATENCY_BANDS.map(() => 0);
  for (const [key, n] of Object.entries(h)) {
    const value = bucketRepresentative(key);
    const band = LATENCY_BANDS.findIndex((b) => value >= b.minMs && (b.maxMs === null || value < b.maxMs));
    counts[band === -1 ? 0 : band] += Number(n);
  }
  const total = counts.reduce((a, b) => a + b, 0);
  return LATENCY_BANDS.map((b, i) => ({ ...b, count: counts[i], percent: pct(counts[i], total) }));
}

const roundPercentiles = (p: Percentiles): Percentiles => ({
  p50: p.p50 === null ? null : round(p.p50, 1),
  p75: p.p75 === null ? null : round(p.p75, 1),
  p90: p.p90 === null ? null : round(p.p90, 1),
  p95: p.p95 === null ? null : round(p.p95, 1),
  p99: p.p99 === null ? null : round(p.p99, 1),
});

/**
 * Histograms merged in SQL (key by key) per workflow, or for the whole client: a range of
 * thousands of buckets ships one small jsonb object per workflow.
 */
function histogramSql(clientId: number, g: Granularity, w: BucketWindow, perWorkflow: boolean) {
  const group = perWorkflow ? sql`r.workflow_id` : sql`0`;
  return sql`select workflow_id, jsonb_object_agg(key, n) as histogram from (
      select ${group} as workflow_id, h.key, sum(h.value::bigint) as n
      from rollups r cross join lateral jsonb_each_text(r.latency_histogram) as h(key, value)
      where ${rollupsCovering(clientId, g, w)} group by 1, 2) k
    group by workflow_id`;
}

interface StatsRow {
  workflow_id: number;
  name: string;
  count: number | string;
  sum_ms: number | string;
  min_ms: number | string | null;
  max_ms: number | string | null;
}

function statsSql(clientId: number, g: Granularity, w: BucketWindow) {
  return sql`select r.workflow_id, w.name, sum(r.duration_count)::bigint as count,
      sum(r.duration_sum_ms)::bigint as sum_ms, min(r.duration_min_ms) as min_ms, max(r.duration_max_ms) as max_ms
    from rollups r join workflows w on w.id = r.workflow_id
    where ${rollupsCovering(clientId, g, w)} group by r.workflow_id, w.name`;
}

type HistogramRow = { workflow_id: number; histogram: LatencyHistogram | string };

function groupHistograms(rows: HistogramRow[]): Map<number, LatencyHistogram> {
  // jsonb arrives parsed from both drivers, but a string is handled in case a driver does not.
  const parse = (h: HistogramRow["histogram"]): LatencyHistogram => (typeof h === "string" ? JSON.parse(h) : h);
  return new Map(rows.map((r) => [Number(r.workflow_id), parse(r.histogram)]));
}

/**
 * p50–p99 from the merged rollup histograms of the range (each within 1% of the exact
 * percentile), avg/min/max from the exact sums, the distribution by duration band, and
 * the ten workflows with the highest p95.
 */
export async function getLatencyMetrics(db: Db, query: SectionQuery): Promise<LatencyMetrics> {
  const { clientId, range } = query;
  const g = range.granularity;
  const window = rangeWindow(range, g);
  const previous = previousWindow(range, g);
  const [, histRows, statRows, prevHistRows, prevStatRows] = await Promise.all([
    query.client ?? loadClient(db, clientId),
    queryRows<HistogramRow>(db, histogramSql(clientId, g, window, true)),
    queryRows<StatsRow>(db, statsSql(clientId, g, window)),
    queryRows<HistogramRow>(db, histogramSql(clientId, g, previous, false)),
    queryRows<{ count: number | string | null; sum_ms: number | string | null }>(
      db,
      sql`select sum(r.duration_count)::bigint as count, sum(r.duration_sum_ms)::bigint as sum_ms
        from rollups r where ${rollupsCovering(clientId, g, previous)}`,
    ),
  ]);

  const byWorkflow = groupHistograms(histRows);
  const merged = mergeHistograms(byWorkflow.values());
  const count = statRows.reduce((a, r) => a + num(r.count), 0);
  const sumMs = statRows.reduce((a, r) => a + num(r.sum_ms), 0);
  const mins = statRows.map((r) => numOrNull(r.min_ms)).filter((v): v is number => v !== null);
  const maxes = statRows.map((r) => numOrNull(r.max_ms)).filter((v): v is number => v !== null);
  const percentiles = roundPercentiles(histogramPercentiles(merged));
  const avgMs = count > 0 ? round(sumMs / count, 1) : null;

  const prevHist = groupHistograms(prevHistRows).get(0) ?? {};
  const prevP95 = histogramPercentile(prevHist, 0.95);
  const prevCount = num(prevStatRows[0]?.count);
  const prevAvg = prevCount > 0 ? round(num(prevStatRows[0]?.sum_ms) / prevCount, 1) : null;

  const slowestWorkflows: WorkflowLatency[] = statRows
    .filter((r) => num(r.count) > 0)
    .map((r) => {
      const h = byWorkflow.get(Number(r.workflow_id));
      const p = roundPercentiles(histogramPercentiles(h));
      return {
        workflowId: Number(r.workflow_id),
        name: r.name,
        count: num(r.count),
        avgMs: round(num(r.sum_ms) / num(r.count), 1),
        p50: p.p50,
        p95: p.p95,
        p99: p.p99,
        maxMs: numOrNull(r.max_ms),
      };
    })
    .sort((a, b) => (b.p95 ?? -1) - (a.p95 ?? -1) || a.workflowId - b.workflowId)
    .slice(0, SLOWEST_LIMIT);

  return {
    clientId,
    range: rangeInfo(range),
    count,
    percentiles,
    relativeAccuracy: HISTOGRAM_ALPHA,
    avgMs,
    minMs: mins.length ? Math.min(...mins) : null,
    maxMs: maxes.length ? Math.max(...maxes) : null,
    comparison: {
      p95: compare(percentiles.p95, prevP95 === null ? null : round(prevP95, 1)),
      avgMs: compare(avgMs, prevAvg),
    },
    distribution: latencyDistribution(merged),
    slowestWorkflows,
  };
}

/** CSV rows of the distribution. */
export function latencyCsv(m: LatencyMetrics): Array<Record<string, unknown>> {
  return m.distribution.map((b) => ({
    band: b.label,
    minMs: b.minMs,
    maxMs: b.maxMs,
    count: b.count,
    percent: b.percent,
  }));
}
