"use client";

import "./register";
import { Bar } from "react-chartjs-2";
import type { LatencyBand } from "@/lib/metrics/execution/types";
import { baseOptions, ChartFrame } from "./chart-frame";

/**
 * How many executions fell in each duration band; bands are categories, not time buckets.
 * The count axis is logarithmic: the slow tail (a few runs waiting for minutes) would
 * otherwise be invisible beside thousands of sub-second runs.
 */
export function ChartBarLatency({ bands }: { bands: readonly LatencyBand[] }) {
  const busiest = bands.reduce<LatencyBand | null>((top, b) => (top && top.count >= b.count ? top : b), null);
  return (
    <ChartFrame
      label="Duration distribution"
      summary={`${bands.length} duration bands${busiest ? `; most executions took ${busiest.label} (${busiest.count})` : ""}.`}
    >
      {(theme, ariaLabel) => (
        <Bar
          aria-label={ariaLabel}
          data={{
            labels: bands.map((b) => b.label),
            datasets: [
              {
                label: "Executions",
                data: bands.map((b) => b.count),
                backgroundColor: theme.color("primary", 0.8),
                hoverBackgroundColor: theme.color("primary"),
              },
            ],
          }}
          options={{
            ...baseOptions(theme),
            plugins: {
              ...baseOptions(theme).plugins,
              legend: { display: false },
              tooltip: {
                callbacks: {
                  afterLabel: (item) => {
                    const pct = bands[item.dataIndex]?.percent;
                    return pct == null ? "" : `${pct}% of executions`;
                  },
                },
              },
            },
            scales: {
              ...baseOptions(theme).scales,
              y: {
                type: "logarithmic",
                // Below 1, so a band of one run still shows a bar.
                min: 0.5,
                title: { display: true, text: "executions (log scale)", color: theme.color("text") },
                ticks: {
                  color: theme.color("text"),
                  // Powers of ten only, so the axis reads 1, 10, 100, … rather than every mantissa.
                  callback: (value) =>
                    Number.isInteger(Math.log10(Number(value))) ? Number(value).toLocaleString() : "",
                },
                grid: { color: theme.color("grid") },
              },
            },
          }}
        />
      )}
    </ChartFrame>
  );
}
