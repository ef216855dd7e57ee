"use client";

import "./register";
import { Bar } from "react-chartjs-2";
import type { HourOfDayFailures } from "@/lib/metrics/execution/types";
import { baseOptions, ChartFrame } from "./chart-frame";

/**
 * Failures by hour of day on the client's clock (the server counts hours in its zone):
 * shows whether failures cluster around a nightly job.
 */
export function ChartBarFailuresByHour({
  hours,
  timeZone,
}: {
  hours: readonly HourOfDayFailures[];
  /** The client's zone, named in the summary. */
  timeZone: string;
}) {
  const worst = hours.reduce<HourOfDayFailures | null>((top, h) => (top && top.failures >= h.failures ? top : h), null);
  return (
    <ChartFrame
      label="Failures by hour of day"
      summary={
        worst && worst.failures > 0
          ? `Most failures at ${worst.hour}:00 ${timeZone} (${worst.failures}).`
          : "No failures."
      }
      height="h-48"
    >
      {(theme, ariaLabel) => (
        <Bar
          aria-label={ariaLabel}
          data={{
            labels: hours.map((h) => String(h.hour).padStart(2, "0")),
            datasets: [
              {
                label: "Failures",
                data: hours.map((h) => h.failures),
                backgroundColor: theme.color("danger", 0.8),
                hoverBackgroundColor: theme.color("danger"),
              },
            ],
          }}
          options={{
            ...baseOptions(theme),
            plugins: { ...baseOptions(theme).plugins, legend: { display: false } },
            scales: {
              ...baseOptions(theme).scales,
              y: {
                beginAtZero: true,
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
