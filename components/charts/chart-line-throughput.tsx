"use client";

import "./register";
import { Line } from "react-chartjs-2";
import { pointsOf, toChartSeries, type BucketStep } from "./adapters";
import type { ThroughputPoint } from "@/lib/metrics/execution/types";
import { baseOptions, ChartFrame } from "./chart-frame";

/**
 * Executions per bucket (left axis) and peak concurrency against the client's
 * concurrency limit (right axis, the dashed capacity line): where the two lines meet,
 * n8n was queueing work.
 */
export function ChartLineThroughput({
  series,
  step,
  range,
  concurrencyLimit,
  timeZone,
}: {
  series: readonly ThroughputPoint[];
  step: BucketStep;
  range: { start: string; end: string };
  concurrencyLimit: number;
  /** The client's zone, of the buckets and their labels. */
  timeZone: string;
}) {
  const chart = toChartSeries(
    [
      { key: "executions", label: "Executions", points: pointsOf(series, "executions") },
      { key: "peak", label: "Peak concurrency", points: pointsOf(series, "peakConcurrency") },
    ],
    step,
    range,
    timeZone,
  );
  const [executions, peak] = chart.datasets;
  const dense = chart.labels.length > 60;

  return (
    <ChartFrame
      label="Throughput"
      summary={`Executions and peak concurrency per ${step} over ${chart.labels.length} buckets; concurrency limit ${concurrencyLimit}.`}
      height="h-72"
    >
      {(theme, ariaLabel) => (
        <Line
          aria-label={ariaLabel}
          data={{
            labels: chart.labels,
            datasets: [
              {
                label: executions.label,
                data: executions.data,
                yAxisID: "count",
                borderColor: theme.color("primary"),
                backgroundColor: theme.color("primary", 0.1),
                fill: true,
                pointRadius: dense ? 0 : 2,
                borderWidth: 2,
              },
              {
                label: peak.label,
                data: peak.data,
                yAxisID: "concurrency",
                borderColor: theme.color("warning"),
                backgroundColor: theme.color("warning"),
                pointRadius: dense ? 0 : 2,
                borderWidth: 2,
              },
              {
                label: `Capacity (limit ${concurrencyLimit})`,
                // A constant: the limit applies to every bucket, data or not.
                data: chart.labels.map(() => concurrencyLimit),
                yAxisID: "concurrency",
                borderColor: theme.color("danger"),
                backgroundColor: theme.color("danger"),
                borderDash: [6, 4],
                pointRadius: 0,
                borderWidth: 2,
              },
            ],
          }}
          options={{
            ...baseOptions(theme),
            scales: {
              ...baseOptions(theme).scales,
              count: {
                position: "left",
                beginAtZero: true,
                title: { display: true, text: `executions per ${step}`, color: theme.color("text") },
                ticks: { color: theme.color("text"), precision: 0 },
                grid: { color: theme.color("grid") },
              },
              concurrency: {
                position: "right",
                beginAtZero: true,
                title: { display: true, text: "concurrent", color: theme.color("text") },
                ticks: { color: theme.color("text"), precision: 0 },
                grid: { display: false },
              },
            },
          }}
        />
      )}
    </ChartFrame>
  );
}
