"use client";

import "./register";
import { Line } from "react-chartjs-2";
import { formatMs } from "@/components/format/format";
import type { SeriesResponse } from "@/lib/metrics/types";
import { pointsOf, toChartSeries } from "./adapters";
import { ChartFrame, lineDataset, valueAxisOptions } from "./chart-frame";
import type { ChartRole } from "./use-chart-theme";

const LINES: Array<{ field: "p50DurationMs" | "p95DurationMs" | "p99DurationMs"; label: string; role: ChartRole }> = [
  { field: "p50DurationMs", label: "p50 (median)", role: "primary" },
  { field: "p95DurationMs", label: "p95", role: "warning" },
  { field: "p99DurationMs", label: "p99", role: "danger" },
];

/**
 * Latency over time: p50, p95 and p99 of each bucket (from the rollups' histograms), on
 * one duration axis. A bucket without executions is a gap. Buckets in the client's zone.
 */
export function ChartLineLatency({ data, timeZone }: { data: SeriesResponse; timeZone: string }) {
  const chart = toChartSeries(
    LINES.map((l) => ({ key: l.field, label: l.label, points: pointsOf(data.series, l.field) })),
    data.granularity,
    { start: data.start, end: data.end },
    timeZone,
  );
  return (
    <ChartFrame
      label="Latency over time"
      summary={`p50, p95 and p99 duration per ${data.granularity}, ${chart.labels.length} buckets.`}
    >
      {(theme, ariaLabel) => (
        <Line
          aria-label={ariaLabel}
          data={{
            labels: chart.labels,
            datasets: chart.datasets.map((d) => {
              const line = LINES.find((l) => l.field === d.key) ?? LINES[0];
              return lineDataset(theme, line.role, { label: d.label, data: d.data, buckets: chart.labels.length });
            }),
          }}
          options={valueAxisOptions(theme, "duration", formatMs)}
        />
      )}
    </ChartFrame>
  );
}
