"use client";

import "./register";
import { Chart } from "react-chartjs-2";
import { pointsOf, toChartSeries, type BucketStep } from "./adapters";
import { baseOptions, ChartFrame } from "./chart-frame";

export interface TimelineRow {
  bucket: string;
  executions: number | null;
  failures: number | null;
  successRate: number | null;
}

/**
 * Executions per bucket as bars (failures stacked in red) with the success rate as a
 * line on a second axis, 0–100%. An empty bucket is a gap in both, not a zero.
 */
export function ChartBarExecutions({
  rows,
  step,
  range,
  timeZone,
  label = "Execution timeline",
}: {
  rows: readonly TimelineRow[];
  step: BucketStep;
  range: { start: string; end: string };
  /** The client's zone, of the buckets and their labels. */
  timeZone: string;
  label?: string;
}) {
  // Bars show successes + failures = executions: the failure part must not be counted twice.
  const others = rows.map((r) => ({
    bucket: r.bucket,
    value: r.executions == null ? null : r.executions - (r.failures ?? 0),
  }));
  const chart = toChartSeries(
    [
      { key: "others", label: "Other executions", points: others },
      { key: "failures", label: "Failures", points: pointsOf(rows, "failures") },
      { key: "rate", label: "Success rate", points: pointsOf(rows, "successRate") },
    ],
    step,
    range,
    timeZone,
  );
  const [ok, failed, rate] = chart.datasets;
  const total = rows.reduce((sum, r) => sum + (r.executions ?? 0), 0);

  return (
    <ChartFrame
      label={label}
      summary={`${total} executions over ${chart.labels.length} ${step} buckets, with the success rate per bucket.`}
      height="h-72"
    >
      {(theme, ariaLabel) => (
        <Chart
          aria-label={ariaLabel}
          type="bar"
          data={{
            labels: chart.labels,
            datasets: [
              {
                type: "line" as const,
                label: rate.label,
                data: rate.data,
                yAxisID: "rate",
                borderColor: theme.color("success"),
                backgroundColor: theme.color("success"),
                pointRadius: 0,
                borderWidth: 2,
                order: 0,
              },
              {
                type: "bar" as const,
                label: "Executions",
                data: ok.data,
                yAxisID: "count",
                stack: "x",
                backgroundColor: theme.color("primary", 0.75),
                hoverBackgroundColor: theme.color("primary"),
                order: 1,
              },
              {
                type: "bar" as const,
                label: failed.label,
                data: failed.data,
                yAxisID: "count",
                stack: "x",
                backgroundColor: theme.color("danger", 0.85),
                hoverBackgroundColor: theme.color("danger"),
                order: 1,
              },
            ],
          }}
          options={{
            ...baseOptions(theme),
            scales: {
              x: { ...baseOptions(theme).scales.x, stacked: true },
              count: {
                position: "left",
                stacked: true,
                beginAtZero: true,
                title: { display: true, text: "executions", color: theme.color("text") },
                ticks: { color: theme.color("text"), precision: 0 },
                grid: { color: theme.color("grid") },
              },
              rate: {
                position: "right",
                min: 0,
                max: 100,
                title: { display: true, text: "success %", color: theme.color("text") },
                ticks: { color: theme.color("text") },
                grid: { display: false },
              },
            },
          }}
        />
      )}
    </ChartFrame>
  );
}
