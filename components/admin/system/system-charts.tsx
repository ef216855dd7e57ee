"use client";

import { useQueries } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { PHASE_LABEL } from "@/components/admin/phase-shares";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Skeleton } from "@/components/ui/skeleton";
import { CELL_COMPACT, STACKED, TABLE, TBODY, THEAD, stackedCell } from "@/components/ui/table";
import { formatCount, formatMs, formatPercent } from "@/components/format/format";
import { RUN_PHASES } from "@/lib/core/vocabulary";
import { FLOWSCOPE_METRICS } from "@/lib/telemetry/names";
import type { ChartRole } from "@/components/charts/use-chart-theme";
import { SystemChart } from "./system-chart";
import { SYSTEM_RANGES, seriesQuery, type SeriesAnswer, type SeriesRequest, type SystemRange } from "./system-api";
import { groupsOf, lineOf, MB, rangeAxis, summarize, sumLines, type FormatKind, type Line, type Stat } from "./series";
import { keepShownOnRefreshFailure, useViewerZone } from "./use-system-query";

const M = FLOWSCOPE_METRICS;
const STEP_TEXT: Record<SystemRange, string> = { "24h": "5 minutes", "7d": "hour" };

/** What an empty series waits for: a run, or the next minute's sample. */
const WAITS_FOR = {
  runs: "They appear after the first sync.",
  samples: "They appear within a minute: the server samples its resources every minute.",
  queued:
    "A point is recorded for each run that waited in the queue before it started; runs started at once have none.",
} as const;

/**
 * Reads the series a chart needs (one query each, polled) and hands them over once all
 * have answered: a skeleton until then, the empty state while none holds a point.
 */
function Series({
  range,
  requests,
  label,
  waitsFor,
  children,
}: {
  range: SystemRange;
  requests: SeriesRequest[];
  label: string;
  waitsFor: keyof typeof WAITS_FOR;
  children: (answers: SeriesAnswer[]) => ReactNode;
}) {
  const answers = useQueries({
    queries: requests.map((r) => ({ ...seriesQuery(range, r), throwOnError: keepShownOnRefreshFailure })),
  }).map((q) => q.data);
  if (answers.some((a) => a === undefined)) return <Skeleton label={label} className="h-64" />;
  const ready = answers as SeriesAnswer[];
  if (ready.every((a) => a.rows.length === 0)) {
    return <EmptyState title="No points yet">{WAITS_FOR[waitsFor]}</EmptyState>;
  }
  return <>{children(ready)}</>;
}

const phaseLabel = (phase: string | null) =>
  phase === "total" ? "Total (whole run)" : (PHASE_LABEL[phase as keyof typeof PHASE_LABEL] ?? phase ?? "—");

/** Phases in the order a sync runs them; any other the server records after them. */
const phaseOrder = (phase: string | null) => {
  const i = (RUN_PHASES as readonly string[]).indexOf(phase ?? "");
  return phase === "total" ? 1_000 : i === -1 ? 999 : i;
};

/**
 * Where a sync's time goes: one line per phase of sync-client runs (p50 or p95 of each
 * bucket, chosen by the viewer), the total apart, in the table below the chart with each
 * phase's runs, mean, highest bucket p95 and longest.
 */
export function PhaseTimings({ range }: { range: SystemRange }) {
  const zone = useViewerZone();
  const [stat, setStat] = useState<"p50" | "p95">("p95");
  return (
    <Series
      range={range}
      label="phase timings"
      waitsFor="runs"
      requests={[{ name: M.phaseDuration.name, groupBy: "phase", labels: { function: "sync-client" } }]}
    >
      {([answer]) => {
        const axis = rangeAxis(answer, range, zone);
        const phases = groupsOf(answer.rows)
          .filter((p) => p !== "total")
          .sort((a, b) => phaseOrder(a) - phaseOrder(b));
        const lines: Line[] = phases.map((p) => ({
          key: p ?? "none",
          label: phaseLabel(p),
          data: lineOf(answer.rows, axis, range, stat, p),
        }));
        const summary = summarize(answer.rows).sort((a, b) => phaseOrder(a.group) - phaseOrder(b.group));
        return (
          <div className="space-y-3">
            <div role="group" aria-label="Statistic drawn" className="flex flex-wrap items-center gap-1">
              {(["p50", "p95"] as const).map((s) => (
                <button
                  key={s}
                  type="button"
                  aria-pressed={stat === s}
                  onClick={() => setStat(s)}
                  className={buttonClass(stat === s ? "primary" : "secondary", "sm")}
                >
                  {s === "p50" ? "p50 (median)" : "p95"}
                </button>
              ))}
            </div>
            <SystemChart
              label={`Sync phase timings, ${stat}`}
              axis={axis}
              lines={lines}
              format="ms"
              yTitle={`${stat} duration`}
              events
              stepText={STEP_TEXT[range]}
            />
            <p id="phase-summary-note" className="text-sm text-gray-700">
              Each phase of sync-client runs over the range: runs, mean, the highest p95 of a{" "}
              {SYSTEM_RANGES[range].window === "5m" ? "5-minute" : "1-hour"} bucket, and the longest.
            </p>
            <table
              className={`${TABLE} ${STACKED.table}`}
              data-testid="phase-summary"
              aria-describedby="phase-summary-note"
            >
              <caption className="sr-only">Sync phase timings over the range</caption>
              <thead className={`${THEAD} ${STACKED.thead}`}>
                <tr>
                  <th scope="col" className={`${CELL_COMPACT} font-medium`}>
                    Phase
                  </th>
                  {["Runs", "Mean", "Highest p95", "Longest"].map((h) => (
                    <th key={h} scope="col" className={`${CELL_COMPACT} text-right font-medium`}>
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className={`${TBODY} ${STACKED.tbody}`}>
                {summary.map((s) => (
                  <tr
                    key={s.group ?? "none"}
                    className={`${STACKED.row} ${s.group === "total" ? "font-medium" : ""}`}
                    data-testid={`phase-row-${s.group}`}
                  >
                    <th scope="row" className={`${CELL_COMPACT} text-left font-medium max-sm:block`}>
                      {phaseLabel(s.group)}
                    </th>
                    <td {...stackedCell("Runs", "text-right tabular-nums")}>{formatCount(s.count)}</td>
                    <td {...stackedCell("Mean", "text-right tabular-nums")}>{formatMs(s.mean)}</td>
                    <td {...stackedCell("Highest p95", "text-right tabular-nums")} data-testid="phase-p95">
                      {formatMs(s.highestP95)}
                    </td>
                    <td {...stackedCell("Longest", "text-right tabular-nums")}>{formatMs(s.max)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        );
      }}
    </Series>
  );
}

/** Share of runs that succeeded per function and bucket, with each function's share over the range. */
export function SuccessRates({ range }: { range: SystemRange }) {
  const zone = useViewerZone();
  return (
    <Series
      range={range}
      label="success rates"
      waitsFor="runs"
      requests={[{ name: M.runSuccess.name, groupBy: "function" }]}
    >
      {([answer]) => {
        const axis = rangeAxis(answer, range, zone);
        const groups = groupsOf(answer.rows).sort((a, b) => String(a).localeCompare(String(b)));
        const lines = groups.map((g) => ({
          key: g ?? "none",
          label: g ?? "all",
          data: lineOf(answer.rows, axis, range, "avg", g, 100),
        }));
        const totals = summarize(answer.rows).sort((a, b) => String(a.group).localeCompare(String(b.group)));
        return (
          <div className="space-y-3">
            <SystemChart
              label="Success rate per function"
              axis={axis}
              lines={lines}
              format="percent"
              yTitle="runs succeeded"
              events
              stepText={STEP_TEXT[range]}
            />
            <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm text-gray-700" aria-label="Success over the range">
              {totals.map((t) => (
                <li key={t.group ?? "none"} data-testid={`success-${t.group}`}>
                  <span className="font-medium text-gray-900">{t.group ?? "all"}</span>{" "}
                  {formatPercent(t.mean === null ? null : t.mean * 100)} of {formatCount(t.count)}{" "}
                  {t.count === 1 ? "run" : "runs"}
                </li>
              ))}
            </ul>
          </div>
        );
      }}
    </Series>
  );
}

/** One line of a sampled chart: a statistic of one of its requests' buckets, scaled. */
interface SampledLine {
  key: string;
  label: string;
  /** Index of the request it reads. */
  from: number;
  stat: Stat;
  scale?: number;
}

/** A chart of resource samples (one point a minute): each line a statistic of a series' buckets. */
function SampledChart({
  range,
  what,
  label,
  requests,
  lines,
  roles,
  format,
  yTitle,
}: {
  range: SystemRange;
  /** What the skeleton says is loading. */
  what: string;
  label: string;
  requests: SeriesRequest[];
  lines: SampledLine[];
  roles?: Record<string, ChartRole>;
  format: FormatKind;
  yTitle: string;
}) {
  const zone = useViewerZone();
  return (
    <Series range={range} label={what} waitsFor="samples" requests={requests}>
      {(answers) => {
        const axis = rangeAxis(answers[0], range, zone);
        return (
          <SystemChart
            label={label}
            axis={axis}
            lines={lines.map((l) => ({
              key: l.key,
              label: l.label,
              data: lineOf(answers[l.from].rows, axis, range, l.stat, null, l.scale),
            }))}
            roles={roles}
            format={format}
            yTitle={yTitle}
            stepText={STEP_TEXT[range]}
          />
        );
      }}
    </Series>
  );
}

/** Resident memory and the JavaScript heap in use, mean of each bucket's samples. */
export function MemoryChart({ range }: { range: SystemRange }) {
  return (
    <SampledChart
      range={range}
      what="memory"
      label="Memory"
      requests={[{ name: M.rss.name }, { name: M.heapUsed.name }]}
      lines={[
        { key: "rss", label: "Resident (RSS)", from: 0, stat: "avg", scale: 1 / MB },
        { key: "heap", label: "Heap used", from: 1, stat: "avg", scale: 1 / MB },
      ]}
      format="mb"
      yTitle="memory"
    />
  );
}

/** CPU time in percent of one core: each bucket's mean and its busiest minute. */
export function CpuChart({ range }: { range: SystemRange }) {
  return (
    <SampledChart
      range={range}
      what="CPU"
      label="CPU"
      requests={[{ name: M.cpu.name }]}
      lines={[
        { key: "avg", label: "Mean", from: 0, stat: "avg" },
        { key: "max", label: "Busiest minute", from: 0, stat: "max" },
      ]}
      roles={{ avg: "primary", max: "warning" }}
      format="percent"
      yTitle="% of one core"
    />
  );
}

/** The event loop's p99 delay of each minute's sample: the bucket's mean and its worst. */
export function EventLoopChart({ range }: { range: SystemRange }) {
  return (
    <SampledChart
      range={range}
      what="event-loop lag"
      label="Event-loop lag p99"
      requests={[{ name: M.eventLoopLag.name, labels: { stat: "p99" } }]}
      lines={[
        { key: "avg", label: "p99, mean", from: 0, stat: "avg" },
        { key: "max", label: "p99, worst minute", from: 0, stat: "max" },
      ]}
      roles={{ avg: "primary", max: "danger" }}
      format="lag"
      yTitle="delay"
    />
  );
}

/** The database's size over the range. */
export function DatabaseSizeChart({ range }: { range: SystemRange }) {
  return (
    <SampledChart
      range={range}
      what="database size"
      label="Database size"
      requests={[{ name: M.dbSize.name }]}
      lines={[{ key: "size", label: "Database", from: 0, stat: "max", scale: 1 / MB }]}
      format="mb"
      yTitle="size"
    />
  );
}

/**
 * Runs queued and running: every function is sampled each minute, so the functions'
 * bucket means add up to the mean of the whole queue.
 */
export function QueueDepthChart({ range }: { range: SystemRange }) {
  const zone = useViewerZone();
  return (
    <Series
      range={range}
      label="queue depth"
      waitsFor="samples"
      requests={[
        { name: M.queueDepth.name, groupBy: "function", labels: { state: "queued" } },
        { name: M.queueDepth.name, groupBy: "function", labels: { state: "running" } },
      ]}
    >
      {([queued, running]) => {
        const axis = rangeAxis(queued, range, zone);
        const total = (answer: SeriesAnswer) =>
          sumLines(
            groupsOf(answer.rows).map((g) => lineOf(answer.rows, axis, range, "avg", g)),
            axis.buckets.length,
          );
        return (
          <SystemChart
            label="Queue depth"
            axis={axis}
            lines={[
              { key: "queued", label: "Queued", data: total(queued) },
              { key: "running", label: "Running", data: total(running) },
            ]}
            roles={{ queued: "warning", running: "primary" }}
            format="decimal"
            yTitle="runs (mean)"
            stepText={STEP_TEXT[range]}
          />
        );
      }}
    </Series>
  );
}

/** Time from queued to started, p95 of each bucket, per function. */
export function QueueWaitChart({ range }: { range: SystemRange }) {
  const zone = useViewerZone();
  return (
    <Series
      range={range}
      label="queue wait"
      waitsFor="queued"
      requests={[{ name: M.queueWait.name, groupBy: "function" }]}
    >
      {([wait]) => {
        const axis = rangeAxis(wait, range, zone);
        const groups = groupsOf(wait.rows).sort((a, b) => String(a).localeCompare(String(b)));
        return (
          <SystemChart
            label="Queue wait p95"
            axis={axis}
            lines={groups.map((g) => ({
              key: g ?? "none",
              label: g ?? "all",
              data: lineOf(wait.rows, axis, range, "p95", g),
            }))}
            format="ms"
            yTitle="p95 wait"
            events
            stepText={STEP_TEXT[range]}
          />
        );
      }}
    </Series>
  );
}
