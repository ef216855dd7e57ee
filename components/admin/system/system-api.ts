/**
 * How the System page reads Flowscope's own metrics in the browser: the aggregated series
 * of GET /api/v1/system-metrics (every page of them) and the current state of GET
 * /api/v1/system/status. Both are polled: resources are sampled every minute.
 */
import { queryOptions } from "@tanstack/react-query";
import { HOUR_MS, MINUTE_MS } from "@/lib/core/time";
import type { SystemMetricWindow } from "@/lib/core/vocabulary";
import type { StatusRun, SystemStatusResponse } from "@/lib/api/system-status";
import { FLOWSCOPE_SERVICE } from "@/lib/telemetry/names";
import type { MetricBucketRow } from "@/lib/telemetry/query";
import { fetchJson } from "@/lib/web/fetch-json";

/** The page's one range selector; each range has the bucket its charts read. */
export const SYSTEM_RANGES = {
  "24h": { label: "24 h", spoken: "Last 24 hours", ms: 24 * HOUR_MS, window: "5m", stepMs: 5 * MINUTE_MS },
  "7d": { label: "7 d", spoken: "Last 7 days", ms: 7 * 24 * HOUR_MS, window: "1h", stepMs: HOUR_MS },
} as const satisfies Record<
  string,
  { label: string; spoken: string; ms: number; window: SystemMetricWindow; stepMs: number }
>;
export type SystemRange = keyof typeof SYSTEM_RANGES;
export const DEFAULT_SYSTEM_RANGE: SystemRange = "24h";

export const isSystemRange = (value: unknown): value is SystemRange =>
  typeof value === "string" && Object.hasOwn(SYSTEM_RANGES, value);

/** Resources are sampled every minute; polling faster would show nothing new. */
export const SERIES_REFRESH_MS = 60_000;
/** The status is read live (nothing stored), polled as the scheduler page polls its own. */
export const STATUS_REFRESH_MS = 30_000;

/** One bucket of one series (or of one group of it, with groupBy) as the API answers it. */
export type SystemSeriesRow = MetricBucketRow;

export interface SeriesRequest {
  /** A series name (lib/telemetry/names.ts). */
  name: string;
  /** A label key: one line per value of it. */
  groupBy?: string;
  /** Only points carrying these labels. */
  labels?: Record<string, string>;
}

/** The rows of a range, with the instants they were asked for (the chart's axis). */
export interface SeriesAnswer {
  rows: SystemSeriesRow[];
  start: string;
  end: string;
}

/** A range of every series holds at most this many pages of 1,000 buckets. */
const MAX_PAGES = 20;

async function fetchSeries(range: SystemRange, request: SeriesRequest, signal?: AbortSignal): Promise<SeriesAnswer> {
  const { ms, window } = SYSTEM_RANGES[range];
  const end = new Date();
  const start = new Date(end.getTime() - ms);
  const labels = Object.entries(request.labels ?? {})
    .map(([k, v]) => `${k}:${v}`)
    .join(",");
  const rows: SystemSeriesRow[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const answer = await fetchJson<{ data: SystemSeriesRow[]; nextCursor: string | null }>(
      "/api/v1/system-metrics",
      {
        // Flowscope's own series: another service may post points of the same name.
        service: FLOWSCOPE_SERVICE,
        name: request.name,
        window,
        groupBy: request.groupBy,
        labels: labels || undefined,
        start: start.toISOString(),
        end: end.toISOString(),
        limit: 1000,
        cursor,
      },
      signal,
    );
    rows.push(...answer.data);
    if (!answer.nextCursor) break;
    cursor = answer.nextCursor;
  }
  return { rows, start: start.toISOString(), end: end.toISOString() };
}

export const systemKeys = {
  all: ["system"] as const,
  status: ["system", "status"] as const,
  series: (range: SystemRange, request: SeriesRequest) =>
    ["system", "series", range, request.name, request.groupBy ?? null, request.labels ?? null] as const,
};

export function seriesQuery(range: SystemRange, request: SeriesRequest) {
  return queryOptions({
    queryKey: systemKeys.series(range, request),
    queryFn: ({ signal }) => fetchSeries(range, request, signal),
    refetchInterval: SERIES_REFRESH_MS,
  });
}

export type { StatusRun };
/** GET /api/v1/system/status: the state now, read when asked, never stored. */
export function statusQuery() {
  return queryOptions({
    queryKey: systemKeys.status,
    queryFn: ({ signal }) => fetchJson<SystemStatusResponse>("/api/v1/system/status", {}, signal),
    refetchInterval: STATUS_REFRESH_MS,
  });
}
