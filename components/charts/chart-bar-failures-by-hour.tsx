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
  onSelectHour,
}: {
  hours: readonly HourOfDayFailures[];
  /** The client's zone, named in the summary. */
  timeZone: string;
  /** Called with the hour of a clicked bar that has failures (pointer users; links serve the keyboard). */
  onSelectHour?: (hour: number) => void;
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
            onClick: (_event, elements) => {
              const hour = elements[0] ? hours[elements[0].index] : undefined;
              if (hour && hour.failures > 0) onSelectHour?.(hour.hour);
            },
            onHover: (event, elements) => {
              const target = event.native?.target as HTMLElement | undefined;
              if (target && onSelectHour) target.style.cursor = elements.length > 0 ? "pointer" : "default";
            },
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
