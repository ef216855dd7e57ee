"use client";

import { useRef, type ReactNode } from "react";
import { useChartTheme, type ChartRole, type ChartTheme } from "./use-chart-theme";

/**
 * Tailwind theme colours for the charts, as CSS variables. Written out as classes so
 * Tailwind emits the theme variables they name (it only emits the ones in use).
 */
const CHART_COLOURS =
  "[--chart-primary:var(--color-indigo-600)] [--chart-secondary:var(--color-sky-600)] " +
  "[--chart-success:var(--color-emerald-600)] [--chart-danger:var(--color-red-600)] " +
  "[--chart-warning:var(--color-amber-500)] [--chart-muted:var(--color-gray-500)] " +
  "[--chart-grid:var(--color-gray-200)] [--chart-text:var(--color-gray-600)]";

/**
 * The box every chart is drawn in: a fixed height (so nothing jumps when the canvas
 * appears), the colours, and a text summary for screen readers. react-chartjs-2 gives
 * its canvas role="img", so the summary goes on the canvas itself as its aria-label:
 * children get it with the theme.
 */
export function ChartFrame({
  label,
  summary,
  height = "h-64",
  children,
}: {
  label: string;
  summary: string;
  height?: string;
  children: (theme: ChartTheme, ariaLabel: string) => ReactNode;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const theme = useChartTheme(ref);
  return (
    <div ref={ref} data-chart={label} className={`relative w-full ${height} ${CHART_COLOURS}`}>
      {theme ? (
        children(theme, `${label}. ${summary}`)
      ) : (
        <div className="h-full w-full animate-pulse rounded bg-gray-100" />
      )}
    </div>
  );
}

/** Chart.js options every chart shares: responsive, UTC labels already formatted, gaps kept. */
export function baseOptions(theme: ChartTheme) {
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false as const,
    // A null is a missing bucket: leave the gap rather than draw a line across it.
    spanGaps: false,
    interaction: { mode: "index" as const, intersect: false },
    plugins: {
      legend: { labels: { color: theme.color("text"), boxWidth: 12 } },
      tooltip: { enabled: true },
    },
    scales: {
      x: {
        ticks: { color: theme.color("text"), maxRotation: 0, autoSkip: true, autoSkipPadding: 12 },
        grid: { display: false },
      },
    },
  };
}

/**
 * The shared options plus one value axis from zero, titled, its ticks and the tooltip's
 * figures written by `format` (the chart's unit in words: "1.2 s", "35 MB").
 */
export function valueAxisOptions(theme: ChartTheme, yTitle: string, format: (value: number | null) => string) {
  const base = baseOptions(theme);
  return {
    ...base,
    plugins: {
      ...base.plugins,
      tooltip: {
        enabled: true,
        callbacks: {
          label: (item: { dataset: { label?: string }; parsed: { y: number | null } }) =>
            `${item.dataset.label}: ${format(item.parsed.y)}`,
        },
      },
    },
    scales: {
      ...base.scales,
      y: {
        beginAtZero: true,
        title: { display: true, text: yTitle, color: theme.color("text") },
        ticks: { color: theme.color("text"), callback: (value: number | string) => format(Number(value)) },
        grid: { color: theme.color("grid") },
      },
    },
  };
}

/**
 * One line of a line chart in a theme role: the stroke, a light fill, points only while
 * there are few enough buckets to tell apart.
 */
export function lineDataset(
  theme: ChartTheme,
  role: ChartRole,
  line: { label: string; data: Array<number | null>; buckets: number },
) {
  return {
    label: line.label,
    data: line.data,
    borderColor: theme.color(role),
    backgroundColor: theme.color(role, 0.15),
    pointRadius: line.buckets > 60 ? 0 : 2,
    borderWidth: 2,
    tension: 0.2,
  };
}
