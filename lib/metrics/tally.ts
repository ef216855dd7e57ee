/**
 * A tally: the additive figures of a set of executions together with their latency
 * histogram, so tallies of disjoint pieces of a range (rollup rows, raw edges) merge
 * exactly in TypeScript, by the rule rollups merge by in SQL (lib/ingest/rollups/merge.ts).
 */
import { addDense, densePercentiles, emptyDense, type BucketCounts, type DenseHistogram } from "@/lib/core/histogram";
import { emptyFigures, NO_PERCENTILES, type Figures } from "./totals";

export interface Tally extends Omit<Figures, "percentiles"> {
  /** Sparse as read from a row, dense once tallies were added (addTally). */
  histogram: BucketCounts;
}

/** A tally that others are added into: its histogram is dense. */
export interface TallySum extends Tally {
  histogram: DenseHistogram;
}

export function emptyTally(): TallySum {
  const { percentiles: _, ...figures } = emptyFigures();
  return { ...figures, histogram: emptyDense() };
}

const minOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));
const maxOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

/** Adds `t` into `into` (never changing `t`): counts and sums add, min/max and peak concurrency take the extreme. */
export function addTally(into: TallySum, t: Tally): TallySum {
  into.total += t.total;
  into.success += t.success;
  into.error += t.error;
  into.crashed += t.crashed;
  into.canceled += t.canceled;
  into.other += t.other;
  into.durationCount += t.durationCount;
  into.durationSumMs += t.durationSumMs;
  into.durationMinMs = minOf(into.durationMinMs, t.durationMinMs);
  into.durationMaxMs = maxOf(into.durationMaxMs, t.durationMaxMs);
  into.peakConcurrency = Math.max(into.peakConcurrency, t.peakConcurrency);
  into.minutesSaved += t.minutesSaved;
  into.llmCalls += t.llmCalls;
  into.tokensIn += t.tokensIn;
  into.tokensOut += t.tokensOut;
  into.costMicroUsd += t.costMicroUsd;
  addDense(into.histogram, t.histogram);
  return into;
}

/** The sum of `tallies`; undefined when there are none (no data, not zeros). */
export function sumTallies(tallies: Iterable<Tally | undefined>): TallySum | undefined {
  let out: TallySum | undefined;
  for (const t of tallies) if (t) out = addTally(out ?? emptyTally(), t);
  return out;
}

/** The figures of a tally, with percentiles from its histogram. */
export function tallyFigures(t: Tally): Figures;
export function tallyFigures(t: Tally | undefined): Figures | undefined;
export function tallyFigures(t: Tally | undefined): Figures | undefined {
  if (!t) return undefined;
  const { histogram, ...figures } = t;
  const percentiles = figures.durationCount > 0 ? densePercentiles(histogram) : NO_PERCENTILES;
  return { ...figures, percentiles };
}
