import { compare, pct, round } from "@/lib/metrics/compare";
import type { Db } from "@/lib/db/database";
import {
  denseEntries,
  emptyDense,
  densePercentiles,
  denseQuantiles,
  HISTOGRAM_ALPHA,
  type BucketCounts,
} from "@/lib/core/histogram";
import { decompose, decomposePrevious, horizonsAt } from "@/lib/metrics/decompose";
import { readPieces } from "@/lib/metrics/read-pieces";
import { sumTallies } from "@/lib/metrics/tally";
import type { Percentiles } from "@/lib/metrics/types";
import { loadClient, rangeInfo, workflowNames, type SectionQuery, sectionCalendar } from "./context";
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
export function latencyDistribution(h: BucketCounts): LatencyBand[] {
  const counts = LATENCY_BANDS.map(() => 0);
  for (const [value, n] of denseEntries(h)) {
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
 * p50–p99 from the merged rollup histograms of the range (each within 1% of the exact
 * percentile), avg/min/max from the exact sums, the distribution by duration band, and
 * the ten workflows with the highest p95. The range and the previous period are
 * decomposed exactly (lib/metrics/decompose.ts): per workflow for the range, per client
 * for the previous period.
 */
export async function getLatencyMetrics(db: Db, query: SectionQuery): Promise<LatencyMetrics> {
  const { clientId, range } = query;
  const horizons = horizonsAt(query.now ?? new Date());
  const calendar = await sectionCalendar(db, query);
  const current = decompose(range.start, range.end, horizons, calendar);
  const previous = decomposePrevious(current, horizons, calendar);
  const [, perWorkflow, perClient, names] = await Promise.all([
    query.client ?? loadClient(db, clientId),
    readPieces(db, [clientId], [current], "workflow"),
    readPieces(db, [clientId], [previous], "client"),
    workflowNames(db, clientId),
  ]);

  const byWorkflow = perWorkflow.groups(current);
  const overall = sumTallies(byWorkflow.values());
  const merged = overall?.histogram ?? emptyDense();
  const count = overall?.durationCount ?? 0;
  const percentiles = roundPercentiles(densePercentiles(merged));
  const avgMs = count > 0 ? round((overall?.durationSumMs ?? 0) / count, 1) : null;

  const before = perClient.tally(previous, clientId);
  const [prevP95] = denseQuantiles(before?.histogram, [0.95]);
  const prevCount = before?.durationCount ?? 0;
  const prevAvg = prevCount > 0 ? round((before?.durationSumMs ?? 0) / prevCount, 1) : null;

  const slowestWorkflows: WorkflowLatency[] = [...byWorkflow]
    .filter(([, t]) => t.durationCount > 0)
    .map(([workflowId, t]) => {
      const p = roundPercentiles(densePercentiles(t.histogram));
      return {
        workflowId,
        name: names.get(workflowId) ?? String(workflowId),
        count: t.durationCount,
        avgMs: round(t.durationSumMs / t.durationCount, 1),
        p50: p.p50,
        p95: p.p95,
        p99: p.p99,
        maxMs: t.durationMaxMs,
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
    minMs: overall?.durationMinMs ?? null,
    maxMs: overall?.durationMaxMs ?? null,
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
