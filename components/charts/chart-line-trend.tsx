"use client";

import "./register";
import { useState } from "react";
import { Line } from "react-chartjs-2";
import { FOCUS_RING } from "@/components/ui/focus";
import { pointsOf, toChartSeries } from "./adapters";
import type { MetricUnit, SeriesPoint, SeriesResponse } from "@/lib/metrics/types";
import { baseOptions, ChartFrame } from "./chart-frame";
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

const AXIS_TITLE: Record<MetricUnit, string> = {
  count: "count",
  percent: "%",
  ms: "ms",
  minutes: "minutes",
  usd: "USD",
};

/**
 * The overview's trend: one line per chosen metric, each unit on its own axis (counts on
 * the left, the rest on the right). Toggles only offer metrics with data in the range.
 * Buckets and labels are in the client's `timeZone`.
 */
export function ChartLineTrend({ data, timeZone }: { data: SeriesResponse; timeZone: string }) {
  // Only metrics with data; LLM figures are 0 rather than null for clients without AI
  // nodes, so an all-zero LLM series counts as none.
  const available = METRICS.filter((m) =>
    data.series.some((p) => p[m.field] != null && (p[m.field] !== 0 || !LLM_FIELDS.has(m.field))),
  );
  const [chosen, setChosen] = useState<TrendField[]>(["executions", "failures"]);
  const shown = available.filter((m) => chosen.includes(m.field));
  const chart = toChartSeries(
    shown.map((m) => ({ key: m.field, label: m.label, points: pointsOf(data.series, m.field) })),
    data.granularity,
    { start: data.start, end: data.end },
    timeZone,
  );
  const units = [...new Set(shown.map((m) => m.unit))];
  const toggle = (field: TrendField) =>
    setChosen((now) => (now.includes(field) ? now.filter((f) => f !== field) : [...now, field]));

  return (
    <div className="space-y-3">
      <div role="group" aria-label="Metrics on the chart" className="flex flex-wrap gap-1">
        {available.map((m) => {
          const on = chosen.includes(m.field);
          return (
            <button
              key={m.field}
              type="button"
              aria-pressed={on}
              onClick={() => toggle(m.field)}
              className={`rounded-full border px-3 py-1 text-xs font-medium ${FOCUS_RING} ${
                on
                  ? "border-indigo-600 bg-indigo-50 text-indigo-800"
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
        summary={`${shown.map((m) => m.label).join(", ") || "No metric chosen"} per ${data.granularity}, ${chart.labels.length} buckets.`}
      >
        {(theme, ariaLabel) => (
          <Line
            aria-label={ariaLabel}
            data={{
              labels: chart.labels,
              datasets: chart.datasets.map((d) => {
                const m = METRICS.find((x) => x.field === d.key) ?? METRICS[0];
                return {
                  label: d.label,
                  data: d.data,
                  yAxisID: m.unit,
                  borderColor: theme.color(m.role),
                  backgroundColor: theme.color(m.role, 0.15),
                  pointRadius: chart.labels.length > 60 ? 0 : 2,
                  borderWidth: 2,
                  tension: 0.2,
                };
              }),
            }}
            options={{
              ...baseOptions(theme),
              scales: {
                ...baseOptions(theme).scales,
                ...Object.fromEntries(
                  units.map((unit, i) => [
                    unit,
                    {
                      position: i === 0 ? ("left" as const) : ("right" as const),
                      beginAtZero: true,
                      title: { display: true, text: AXIS_TITLE[unit], color: theme.color("text") },
                      ticks: { color: theme.color("text") },
                      grid: { color: theme.color("grid"), display: i === 0 },
                    },
                  ]),
                ),
              },
            }}
          />
        )}
      </ChartFrame>
    </div>
  );
}
