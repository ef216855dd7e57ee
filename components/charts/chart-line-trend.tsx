"use client";

import "./register";
import { usePathname, useSearchParams } from "next/navigation";
import { Line } from "react-chartjs-2";
import { FOCUS_RING } from "@/components/ui/focus";
import { formatMs, formatValue } from "@/components/format/format";
import { formatUsd } from "@/components/format/money";
import { replaceSearch } from "@/lib/web/search-href";
import { lastBucketIncomplete, pointsOf, toChartSeries, zeroFilled } from "./adapters";
import type { MetricUnit, SeriesPoint, SeriesResponse } from "@/lib/metrics/types";
import { baseOptions, ChartFrame, lineDataset } from "./chart-frame";
import type { ChartRole } from "./use-chart-theme";

type TrendField = Exclude<keyof SeriesPoint, "bucket" | "success">;

const METRICS: Array<{ field: TrendField; label: string; unit: MetricUnit; role: ChartRole }> = [
  { field: "executions", label: "Executions", unit: "count", role: "primary" },
  { field: "failures", label: "Failures", unit: "count", role: "danger" },
  { field: "successRate", label: "Success rate", unit: "percent", role: "success" },
  { field: "avgDurationMs", label: "Avg duration", unit: "ms", role: "secondary" },
  { field: "p95DurationMs", label: "p95 duration", unit: "ms", role: "warning" },
  { field: "minutesSaved", label: "Time saved", unit: "minutes", role: "muted" },
  { field: "llmCalls", label: "LLM calls", unit: "count", role: "secondary" },
  { field: "costUsd", label: "LLM cost", unit: "usd", role: "muted" },
];

const LLM_FIELDS = new Set<TrendField>(["llmCalls", "costUsd"]);

/** Units whose empty bucket is a 0 (nothing happened), not a gap (nothing to measure). */
const ZERO_UNITS = new Set<MetricUnit>(["count", "minutes", "usd"]);

const AXIS_TITLE: Record<MetricUnit, string> = {
  count: "count",
  percent: "%",
  ms: "duration",
  minutes: "minutes",
  usd: "USD",
};

/** A value as its unit reads, for tooltips and the duration axis. */
function formatIn(unit: MetricUnit, value: number | null): string {
  if (unit === "ms") return formatMs(value);
  if (unit === "usd") return formatUsd(value);
  return formatValue(value, unit);
}

/** Two axes at most: the first chosen unit on the left, the second on the right. */
const MAX_UNITS = 2;

/** The URL parameter that keeps the chosen metrics, so a shared link shows the same lines. */
const METRICS_PARAM = "metrics";
const DEFAULT_CHOSEN: TrendField[] = ["executions", "failures"];

function chosenFromUrl(value: string | null): TrendField[] {
  if (value === null) return DEFAULT_CHOSEN;
  const fields = value.split(",").filter((f): f is TrendField => METRICS.some((m) => m.field === f));
  const units = [...new Set(fields.map((f) => unitOf(f)))].slice(0, MAX_UNITS);
  return fields.filter((f) => units.includes(unitOf(f)));
}

const unitOf = (field: TrendField) => (METRICS.find((m) => m.field === field) ?? METRICS[0]).unit;

/**
 * The overview's trend: one line per chosen metric, at most two units (an axis each,
 * titled and coloured like its line when it holds one). Toggles only offer metrics with
 * data in the range; a third unit is refused until one is turned off. The choice lives
 * in the URL. Counts with no executions are 0, durations and rates gaps; the bucket still
 * filling is dashed. Buckets and labels are in the client's `timeZone`.
 */
export function ChartLineTrend({ data, timeZone }: { data: SeriesResponse; timeZone: string }) {
  const search = useSearchParams();
  const pathname = usePathname();
  // Only metrics with data; LLM figures are 0 rather than null for clients without AI
  // nodes, so an all-zero LLM series counts as none.
  const available = METRICS.filter((m) =>
    data.series.some((p) => p[m.field] != null && (p[m.field] !== 0 || !LLM_FIELDS.has(m.field))),
  );
  const chosen = chosenFromUrl(search.get(METRICS_PARAM));
  const shown = available.filter((m) => chosen.includes(m.field));
  const chart = toChartSeries(
    shown.map((m) => ({ key: m.field, label: m.label, points: pointsOf(data.series, m.field) })),
    data.granularity,
    { start: data.start, end: data.end },
    timeZone,
  );
  const units = [...new Set(shown.map((m) => m.unit))];
  const incomplete = lastBucketIncomplete(chart.buckets, data.granularity, data.end, timeZone);
  const toggle = (field: TrendField) => {
    const next = chosen.includes(field) ? chosen.filter((f) => f !== field) : [...chosen, field];
    replaceSearch(pathname, search, { [METRICS_PARAM]: next.join(",") });
  };

  return (
    <div className="space-y-3">
      <div role="group" aria-label="Metrics on the chart" className="flex flex-wrap gap-1">
        {available.map((m) => {
          const on = chosen.includes(m.field);
          const blocked = !on && !units.includes(m.unit) && units.length >= MAX_UNITS;
          return (
            <button
              key={m.field}
              type="button"
              aria-pressed={on}
              aria-disabled={blocked || undefined}
              title={blocked ? "Two units at most: turn off a metric of another unit first" : undefined}
              onClick={() => !blocked && toggle(m.field)}
              className={`rounded-full border px-3 py-1 text-xs font-medium ${FOCUS_RING} ${
                on
                  ? "border-indigo-600 bg-indigo-50 text-indigo-800"
                  : blocked
                    ? "cursor-not-allowed border-gray-200 bg-white text-gray-500"
                    : "border-gray-300 bg-white text-gray-700 hover:bg-gray-50"
              }`}
            >
              {m.label}
            </button>
          );
        })}
      </div>
      <ChartFrame
        label="Trend"
        summary={`${shown.map((m) => m.label).join(", ") || "No metric chosen"} per ${data.granularity}, ${chart.labels.length} buckets${incomplete ? ", the last one still filling" : ""}.`}
      >
        {(theme, ariaLabel) => (
          <Line
            aria-label={ariaLabel}
            data={{
              labels: chart.labels,
              datasets: chart.datasets.map((d) => {
                const m = METRICS.find((x) => x.field === d.key) ?? METRICS[0];
                const last = d.data.length - 1;
                return {
                  ...lineDataset(theme, m.role, {
                    label: d.label,
                    data: ZERO_UNITS.has(m.unit) ? zeroFilled(d.data) : d.data,
                    buckets: chart.labels.length,
                  }),
                  yAxisID: m.unit,
                  segment: {
                    borderDash: (ctx: { p1DataIndex: number }) =>
                      incomplete && ctx.p1DataIndex === last ? [6, 4] : undefined,
                  },
                };
              }),
            }}
            options={{
              ...baseOptions(theme),
              plugins: {
                ...baseOptions(theme).plugins,
                tooltip: {
                  enabled: true,
                  callbacks: {
                    label: (item) => {
                      const m = METRICS.find((x) => x.label === item.dataset.label) ?? METRICS[0];
                      return `${m.label}: ${formatIn(m.unit, item.parsed.y)}`;
                    },
                    afterTitle: (items) =>
                      incomplete && items[0]?.dataIndex === chart.labels.length - 1 ? "(still filling)" : "",
                  },
                },
              },
              scales: {
                ...baseOptions(theme).scales,
                ...Object.fromEntries(
                  units.map((unit, i) => {
                    const alone = shown.filter((m) => m.unit === unit);
                    const color = alone.length === 1 ? theme.color(alone[0].role) : theme.color("text");
                    return [
                      unit,
                      {
                        position: i === 0 ? ("left" as const) : ("right" as const),
                        beginAtZero: true,
                        title: {
                          display: true,
                          text: alone.length === 1 ? `${alone[0].label} (${AXIS_TITLE[unit]})` : AXIS_TITLE[unit],
                          color,
                        },
                        ticks: { color, callback: (value: string | number) => formatIn(unit, Number(value)) },
                        grid: { color: theme.color("grid"), display: i === 0 },
                      },
                    ];
                  }),
                ),
              },
            }}
          />
        )}
      </ChartFrame>
    </div>
  );
}
