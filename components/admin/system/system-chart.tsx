"use client";

import "@/components/charts/register";
import { Line as LineChart } from "react-chartjs-2";
import { ChartFrame, lineDataset, valueAxisOptions } from "@/components/charts/chart-frame";
import type { ChartRole } from "@/components/charts/use-chart-theme";
import { FORMAT, latest, type Axis, type FormatKind, type Line } from "./series";

/** Six colour roles; lines past them repeat a colour dashed, so up to twelve stay apart. */
const ROLES: ChartRole[] = ["primary", "secondary", "success", "warning", "danger", "muted"];

/**
 * One System chart: lines over the range's buckets on one axis of `format`'s unit.
 * `events` series (runs) join their points across buckets without a run; sampled
 * series (resources, every minute) keep a missing bucket as a gap: the server was down.
 */
export function SystemChart({
  label,
  axis,
  lines,
  format,
  yTitle,
  events = false,
  stepText,
  roles,
}: {
  label: string;
  axis: Axis;
  lines: Line[];
  format: FormatKind;
  yTitle: string;
  events?: boolean;
  /** e.g. "5 min", for the spoken summary. */
  stepText: string;
  /** A colour per line, by key; lines without one take the next free role. */
  roles?: Record<string, ChartRole>;
}) {
  const toText = FORMAT[format];
  const points = lines.reduce((n, l) => n + l.data.filter((v) => v !== null).length, 0);
  const summary = `${lines.length === 1 ? "One line" : `${lines.length} lines`} per ${stepText} over ${axis.labels.length} buckets; latest: ${lines
    .map((l) => `${l.label} ${toText(latest(l.data))}`)
    .join(", ")}.`;
  return (
    <ChartFrame label={label} summary={summary}>
      {(theme, ariaLabel) => (
        <LineChart
          aria-label={ariaLabel}
          data={{
            labels: axis.labels,
            datasets: lines.map((l, i) => {
              const role = roles?.[l.key] ?? ROLES[i % ROLES.length];
              const line = lineDataset(theme, role, { label: l.label, data: l.data, buckets: axis.labels.length });
              return {
                ...line,
                // Points while there are few of them: a lone sample is otherwise invisible.
                pointRadius: points / Math.max(1, lines.length) > 60 ? 0 : 2,
                borderDash: !roles && i >= ROLES.length ? [6, 4] : undefined,
                spanGaps: events,
              };
            }),
          }}
          options={valueAxisOptions(theme, yTitle, toText)}
        />
      )}
    </ChartFrame>
  );
}
