"use client";

import "./register";
import { Bar } from "react-chartjs-2";
import type { LatencyBand } from "@/lib/metrics/execution/types";
import { baseOptions, ChartFrame } from "./chart-frame";

/** How many executions fell in each duration band; bands are categories, not time buckets. */
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
                beginAtZero: true,
                title: { display: true, text: "executions", color: theme.color("text") },
                ticks: { color: theme.color("text"), precision: 0 },
                grid: { color: theme.color("grid") },
              },
            },
          }}
        />
      )}
    </ChartFrame>
  );
}
