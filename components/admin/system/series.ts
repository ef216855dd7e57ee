/**
 * Pure helpers of the System page: the API's window buckets lined up on one axis (5 min
 * or 1 h, which the dashboards' steps do not have), one line per group, and figures in
 * words. A bucket without points is a gap (null), never a zero.
 */
import { bucketLabel } from "@/components/charts/adapters";
import { formatDecimal, formatMs, formatPercent } from "@/components/format/format";
import { SYSTEM_RANGES, type SeriesAnswer, type SystemRange, type SystemSeriesRow } from "./system-api";

export type Stat = "avg" | "min" | "max" | "p50" | "p95";

export interface Axis {
  /** Bucket starts (ms), evenly spaced over the range. */
  buckets: number[];
  /** One label per bucket in the viewer's zone. */
  labels: string[];
}

export interface Line {
  key: string;
  label: string;
  data: Array<number | null>;
}

/** Every bucket of the range, in its window's step, labelled in `timeZone`. */
export function rangeAxis(answer: Pick<SeriesAnswer, "start" | "end">, range: SystemRange, timeZone: string): Axis {
  const { stepMs } = SYSTEM_RANGES[range];
  const start = Date.parse(answer.start);
  const end = Date.parse(answer.end);
  const buckets: number[] = [];
  for (let b = start - (start % stepMs); b < end; b += stepMs) buckets.push(b);
  // Minutes for a day, dates with hours for a week.
  const step = range === "24h" ? "minute" : "hour";
  return { buckets, labels: buckets.map((b) => bucketLabel(b, step, timeZone)) };
}

/** The groups of `rows` (null for ungrouped rows), in first-seen order. */
export function groupsOf(rows: readonly SystemSeriesRow[]): Array<string | null> {
  return [...new Set(rows.map((r) => r.group))];
}

/** One group's `stat` per bucket of the axis, scaled (e.g. ×100 for a ratio as percent). */
export function lineOf(
  rows: readonly SystemSeriesRow[],
  axis: Axis,
  range: SystemRange,
  stat: Stat,
  group: string | null,
  scale = 1,
): Array<number | null> {
  const { stepMs } = SYSTEM_RANGES[range];
  const byBucket = new Map<number, number | null>();
  for (const r of rows) {
    if (r.group !== group) continue;
    const at = Date.parse(r.bucket);
    const v = r[stat];
    byBucket.set(at - (at % stepMs), typeof v === "number" && Number.isFinite(v) ? v * scale : null);
  }
  return axis.buckets.map((b) => byBucket.get(b) ?? null);
}

/** Lines added bucket by bucket; a bucket is a gap only where every line is. */
export function sumLines(lines: ReadonlyArray<ReadonlyArray<number | null>>, length: number): Array<number | null> {
  return Array.from({ length }, (_, i) => {
    const values = lines.map((l) => l[i]).filter((v): v is number => v !== null);
    return values.length === 0 ? null : values.reduce((a, b) => a + b, 0);
  });
}

/** The last bucket that holds a figure, for the charts' spoken summaries and the stats. */
export function latest(data: ReadonlyArray<number | null>): number | null {
  for (let i = data.length - 1; i >= 0; i -= 1) if (data[i] !== null) return data[i];
  return null;
}

/** Per group over the whole range: points, their mean, the highest bucket p95 and the maximum. */
export interface GroupSummary {
  group: string | null;
  count: number;
  mean: number | null;
  highestP95: number | null;
  max: number | null;
}

export function summarize(rows: readonly SystemSeriesRow[]): GroupSummary[] {
  return groupsOf(rows).map((group) => {
    const mine = rows.filter((r) => r.group === group);
    const count = mine.reduce((s, r) => s + r.count, 0);
    const weighted = mine.reduce((s, r) => s + (r.avg ?? 0) * r.count, 0);
    const finite = (values: Array<number | null>) => values.filter((v): v is number => v !== null);
    const p95s = finite(mine.map((r) => r.p95));
    const maxes = finite(mine.map((r) => r.max));
    return {
      group,
      count,
      mean: count > 0 ? weighted / count : null,
      highestP95: p95s.length ? Math.max(...p95s) : null,
      max: maxes.length ? Math.max(...maxes) : null,
    };
  });
}

/** A megabyte as process tools count it (1,024 × 1,024 bytes). */
export const MB = 1024 * 1024;

/** Bytes as MB (or GB past 10,000 MB, KB under 1 MB), binary multiples as process tools show them. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes == null) return "—";
  if (bytes < MB) return `${formatDecimal(bytes / 1024)} KB`;
  if (bytes < 10_000 * MB) return `${formatDecimal(bytes / MB)} MB`;
  return `${formatDecimal(bytes / (1024 * MB))} GB`;
}

/** "3 d 4 h", "2 h 5 min", "40 s": how long the process has been up. */
export function formatUptime(seconds: number): string {
  const s = Math.floor(seconds);
  if (s < 90) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** An event-loop delay: tenths of a millisecond while it is small, as it is when all is well. */
export function formatLag(ms: number | null | undefined): string {
  if (ms == null) return "—";
  return ms < 10 ? `${formatDecimal(ms)} ms` : formatMs(ms);
}

/** The unit formatters of the charts' axes, tooltips and summaries. */
export const FORMAT = {
  ms: formatMs,
  lag: formatLag,
  percent: formatPercent,
  bytes: formatBytes,
  /** Figures already in MB (charts draw bytes in MB, so their ticks fall on round numbers). */
  mb: (mb: number | null | undefined) => (mb == null ? "—" : formatBytes(mb * MB)),
  decimal: formatDecimal,
} as const;
export type FormatKind = keyof typeof FORMAT;
