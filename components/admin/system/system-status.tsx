"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { MODE_TEXT } from "@/components/admin/scheduler-panel";
import { STATUS_LABEL, STATUS_TONE } from "@/components/admin/sync-status";
import { formatCount, formatMs, formatPercent, formatTimestampSeconds } from "@/components/format/format";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { TEXT_LINK } from "@/components/ui/link";
import { CardsSkeleton, Skeleton } from "@/components/ui/skeleton";
import { Stat } from "@/components/ui/stat";
import { CELL_COMPACT, STACKED, TABLE, TBODY, THEAD, stackedCell } from "@/components/ui/table";
import { statusQuery, type StatusRun } from "./system-api";
import { formatBytes, formatLag, formatUptime } from "./series";
import { useSystemQuery, useViewerZone } from "./use-system-query";
import { WARNING } from "@/components/ui/message";

/** One group of figures with its own small heading. */
function Group({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <div role="group" aria-labelledby={`status-${id}-heading`} data-testid={`status-${id}`}>
      <h4 id={`status-${id}-heading`} className="mb-2 text-sm font-semibold text-gray-800">
        {title}
      </h4>
      <dl className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-5">{children}</dl>
    </div>
  );
}

/** The status as the page shows it: read live (never stored), polled every 30 s. */
function useStatus() {
  return useSystemQuery(statusQuery());
}

/** A failed refresh leaves the figures shown and says so, as the scheduler page does. */
function RefreshFailed({ error }: { error: Error | null }) {
  if (!error) return null;
  return (
    <p role="alert" className={WARNING}>
      The status could not be refreshed: {error.message}
    </p>
  );
}

/**
 * Process, database, scheduler, queue and the metric recorder as they are now. Failed or
 * dropped metric writes are a warning: the jobs went on, but their points are missing.
 */
export function StatusPanel() {
  const zone = useViewerZone();
  const { data, error } = useStatus();
  if (!data) return <CardsSkeleton label="the current status" count={8} />;
  const { process: proc, database: db, scheduler, queue, recorder } = data;
  const nextJob = scheduler.jobs
    .filter((j) => j.nextRunAt)
    .sort((a, b) => String(a.nextRunAt).localeCompare(String(b.nextRunAt)))[0];
  const recorderTrouble = recorder.failedWrites > 0 || recorder.dropped > 0;
  return (
    <div className="space-y-5">
      <RefreshFailed error={error} />
      <p className="text-sm text-gray-700">
        Read <time dateTime={data.at}>{formatTimestampSeconds(data.at, zone)}</time>; refreshed every 30 s.
      </p>
      <Group id="process" title="Process">
        <Stat id="rss" label="Resident memory" value={formatBytes(proc.rssBytes)} />
        <Stat id="heap" label="Heap used" value={formatBytes(proc.heapUsedBytes)}>
          of {formatBytes(proc.heapTotalBytes)}
        </Stat>
        <Stat id="cpu" label="CPU" value={formatPercent(proc.cpuPercent)}>
          {proc.cpuPercent === null ? "measured from the next sample" : "of one core"}
        </Stat>
        <Stat id="lag" label="Event-loop lag p99" value={formatLag(proc.eventLoopLagMs?.p99)}>
          {proc.eventLoopLagMs ? `max ${formatLag(proc.eventLoopLagMs.max)}` : "measured from the next sample"}
        </Stat>
        <Stat id="uptime" label="Up for" value={formatUptime(proc.uptimeSeconds)}>
          pid {proc.pid}, Node {proc.node}
        </Stat>
      </Group>
      <Group id="database" title="Database">
        <Stat id="db-size" label="Size" value={formatBytes(db.sizeBytes)}>
          {db.driver === "pglite" ? "embedded PGlite" : "PostgreSQL"}
        </Stat>
        <Stat id="db-connections" label="Connections" value={formatCount(db.connections)}>
          {db.driver === "pglite" ? "one, in this process" : "open now"}
        </Stat>
        <Stat id="disk-free" label="Disk free" value={formatBytes(db.diskFreeBytes)}>
          <span className="break-all">{db.diskPath ?? "not measured (database elsewhere)"}</span>
        </Stat>
      </Group>
      <Group id="jobs" title="Scheduler and queue">
        <Stat
          id="scheduler-mode"
          label="Scheduler"
          value={<Badge tone={scheduler.mode === "off" ? "amber" : "green"}>Mode: {scheduler.mode}</Badge>}
        >
          {MODE_TEXT[scheduler.mode]} {scheduler.running ? "" : "Not running in this process."}
        </Stat>
        <Stat id="next-job" label="Next job" value={nextJob?.name ?? "None"}>
          {nextJob ? (
            <time dateTime={nextJob.nextRunAt ?? undefined}>{formatTimestampSeconds(nextJob.nextRunAt, zone)}</time>
          ) : (
            "nothing scheduled"
          )}
        </Stat>
        <Stat id="queued" label="Queued runs" value={formatCount(queue.queued)}>
          {queue.oldestQueuedAt ? (
            <>
              oldest since{" "}
              <time dateTime={queue.oldestQueuedAt}>{formatTimestampSeconds(queue.oldestQueuedAt, zone)}</time>
            </>
          ) : (
            "none waiting"
          )}
        </Stat>
        <Stat id="running" label="Running runs" value={formatCount(queue.running)}>
          {queue.byFunction
            .filter((f) => f.running > 0)
            .map((f) => `${f.function} ${f.running}`)
            .join(", ") || "none"}
        </Stat>
      </Group>
      <p className="text-xs text-gray-600">{queue.inngest.note}</p>
      <Group id="recorder" title="Metric recorder">
        <Stat id="recorded" label="Points recorded" value={formatCount(recorder.recorded)}>
          since the server started
        </Stat>
        <Stat id="written" label="Written" value={formatCount(recorder.written)}>
          {formatCount(recorder.buffered)} waiting in the buffer
        </Stat>
        <Stat id="failed-writes" label="Failed writes" value={formatCount(recorder.failedWrites)}>
          {formatCount(recorder.dropped)} points dropped
        </Stat>
      </Group>
      {recorderTrouble && (
        <div role="alert" className={WARNING} data-testid="recorder-warning">
          <p className="font-medium">
            Metric points could not all be stored: {formatCount(recorder.failedWrites)} failed{" "}
            {recorder.failedWrites === 1 ? "write" : "writes"}, {formatCount(recorder.dropped)} points dropped.
          </p>
          <p className="mt-1">
            The jobs were not affected; the charts miss those points.
            {recorder.lastError && (
              <>
                {" "}
                Last error
                {recorder.lastErrorAt && (
                  <>
                    {" "}
                    at <time dateTime={recorder.lastErrorAt}>{formatTimestampSeconds(recorder.lastErrorAt, zone)}</time>
                  </>
                )}
                : <span className="break-words">{recorder.lastError}</span>
              </>
            )}
          </p>
        </div>
      )}
    </div>
  );
}

/** The database's largest tables now (partitions counted with their table). */
export function LargestTables() {
  const { data, error } = useStatus();
  if (!data) return <Skeleton label="the largest tables" className="h-40" />;
  const tables = data.database.largestTables;
  if (tables.length === 0) return <EmptyState title="No tables measured" />;
  return (
    <div className="space-y-2">
      <RefreshFailed error={error} />
      <table className={TABLE} data-testid="largest-tables">
        <caption className="mb-1 text-left text-sm font-medium text-gray-800">Largest tables now</caption>
        <thead className={THEAD}>
          <tr>
            <th scope="col" className={`${CELL_COMPACT} font-medium`}>
              Table
            </th>
            <th scope="col" className={`${CELL_COMPACT} text-right font-medium`}>
              Size
            </th>
          </tr>
        </thead>
        <tbody className={TBODY}>
          {tables.map((t) => (
            <tr key={t.table}>
              <th scope="row" className={`${CELL_COMPACT} break-all text-left font-mono text-xs font-normal`}>
                {t.table}
              </th>
              <td className={`${CELL_COMPACT} whitespace-nowrap text-right tabular-nums`}>{formatBytes(t.bytes)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * Runs from the status: the slowest finished ones of the last 24 h, or the latest. Each
 * links to its task page; times in the viewer's zone, to the second.
 */
export function RunsTable({ which }: { which: "slowestRuns" | "lastRuns" }) {
  const zone = useViewerZone();
  const { data, error } = useStatus();
  if (!data) return <Skeleton label={which === "slowestRuns" ? "the slowest runs" : "the newest runs"} />;
  const runs: StatusRun[] = data[which];
  if (runs.length === 0) {
    return <EmptyState title="No runs yet">They appear after the first sync.</EmptyState>;
  }
  const caption =
    which === "slowestRuns"
      ? "The longest finished runs of the last 24 hours, longest first"
      : "The newest run of each function";
  return (
    <div className="space-y-2">
      <RefreshFailed error={error} />
      <table
        className={`${TABLE} ${STACKED.table}`}
        data-testid={which === "slowestRuns" ? "slowest-runs" : "last-runs"}
      >
        <caption className="sr-only">
          {caption}; times in {zone}
        </caption>
        <thead className={`${THEAD} ${STACKED.thead}`}>
          <tr>
            {["Run", "Function", "Status", "Started", "Duration"].map((h) => (
              <th
                key={h}
                scope="col"
                className={`${CELL_COMPACT} font-medium ${h === "Duration" ? "text-right" : "text-left"}`}
              >
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className={`${TBODY} ${STACKED.tbody}`}>
          {runs.map((run) => (
            <tr key={run.id} className={`${STACKED.row} align-top`} data-testid="system-run-row">
              <th scope="row" className={`${CELL_COMPACT} text-left font-normal max-sm:block`}>
                <Link
                  href={run.href}
                  className={`${TEXT_LINK} tabular-nums`}
                  aria-label={`Run #${run.id}, ${run.function}`}
                >
                  #{run.id}
                </Link>
              </th>
              <td {...stackedCell("Function", "whitespace-nowrap")} data-testid="run-function">
                <span>
                  <span className="font-mono text-xs">{run.function}</span>
                  <span className="ml-1 text-xs text-gray-600">({run.trigger})</span>
                </span>
              </td>
              <td {...stackedCell("Status")}>
                <Badge tone={STATUS_TONE[run.status]}>{STATUS_LABEL[run.status]}</Badge>
                {run.error && <span className="mt-1 block break-words text-xs text-red-800">{run.error}</span>}
              </td>
              <td {...stackedCell("Started", "tabular-nums whitespace-nowrap")}>
                <time dateTime={run.startedAt}>{formatTimestampSeconds(run.startedAt, zone)}</time>
              </td>
              <td {...stackedCell("Duration", "text-right tabular-nums")} data-testid="run-duration">
                {run.durationMs === null ? "running" : formatMs(run.durationMs)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
