"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import type { SchedulerStatusView } from "@/lib/metrics/status/types";
import { CARD } from "@/components/ui/card";
import { TEXT_LINK } from "@/components/ui/link";
import { ALERT } from "@/components/ui/message";
import { formatAge, formatTimestamp } from "@/components/format/format";
import { TABLE, TBODY, TableScroll } from "@/components/ui/table";
import { adminApi, adminKeys, errorText } from "./api";
import { STATUS_LABEL, STATUS_TONE } from "./sync-status";

const MODE_TEXT: Record<SchedulerStatusView["mode"], string> = {
  inngest: "Inngest schedules the jobs (one event per client sync).",
  "in-process": "This server runs the jobs on its own timers (no Inngest configured).",
  off: "Scheduling is off (FLOWSCOPE_SCHEDULER=off): nothing runs unless asked.",
};

/** Scheduler mode, jobs with their next and last run, and how fresh each client's data is. */
export function SchedulerPanel({ initialData }: { initialData: SchedulerStatusView }) {
  const { data, error } = useQuery({
    queryKey: adminKeys.scheduler,
    queryFn: ({ signal }) => adminApi<SchedulerStatusView>("/api/v1/tasks/scheduler-status", { signal }),
    initialData,
    refetchInterval: 30_000,
  });
  return (
    <div className="space-y-6">
      <div>
        <div className="flex flex-wrap items-center gap-2">
          <h1 className="text-2xl font-semibold">Scheduler</h1>
          <Badge tone={data.mode === "off" ? "amber" : "green"}>Mode: {data.mode}</Badge>
        </div>
        <p className="mt-1 text-sm text-gray-700">
          {MODE_TEXT[data.mode]} Times are {data.timezone}; checked {formatTimestamp(data.checkedAt)}.
        </p>
        {error && (
          <p role="alert" className={`mt-2 ${ALERT}`}>
            The status could not be refreshed: {errorText(error)}
          </p>
        )}
      </div>

      <section aria-labelledby="jobs-heading" className={CARD}>
        <h2 id="jobs-heading" className="text-lg font-semibold">
          Jobs
        </h2>
        <TableScroll className="mt-3" label="Jobs, scrolls sideways on small screens">
          <table className={TABLE}>
            <thead className="text-left text-gray-700">
              <tr>
                <th scope="col" className="py-2 pr-3 font-medium">
                  Job
                </th>
                <th scope="col" className="py-2 pr-3 font-medium">
                  Cron
                </th>
                <th scope="col" className="py-2 pr-3 font-medium">
                  Next run
                </th>
                <th scope="col" className="py-2 font-medium">
                  Last run
                </th>
              </tr>
            </thead>
            <tbody className={TBODY}>
              {data.jobs.map((job) => (
                <tr key={job.name} data-testid={`job-${job.name}`}>
                  <th scope="row" className="py-2 pr-3 text-left font-medium">
                    {job.name}
                  </th>
                  <td className="whitespace-nowrap py-2 pr-3 font-mono text-xs">{job.cron}</td>
                  <td className="whitespace-nowrap py-2 pr-3">
                    {job.nextRunAt ? formatTimestamp(job.nextRunAt) : "Not scheduled"}
                  </td>
                  <td className="py-2">
                    {job.lastRun ? (
                      <span className="flex flex-wrap items-center gap-2">
                        <Badge tone={STATUS_TONE[job.lastRun.status]}>{STATUS_LABEL[job.lastRun.status]}</Badge>
                        <Link href={`/admin/tasks/${job.lastRun.id}`} className={TEXT_LINK}>
                          {formatTimestamp(job.lastRun.startedAt)}
                        </Link>
                      </span>
                    ) : (
                      "Never"
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </section>

      <section aria-labelledby="freshness-heading" className={CARD}>
        <h2 id="freshness-heading" className="text-lg font-semibold">
          Data freshness
        </h2>
        <p className="mt-1 text-sm text-gray-600">
          A client is stale when no sync succeeded within two collect intervals (
          {Math.round((2 * data.collectIntervalSeconds) / 60)} min).
        </p>
        {data.clients.length === 0 ? (
          <div className="mt-3">
            <EmptyState title="No active clients" />
          </div>
        ) : (
          <ul className="mt-3 divide-y divide-gray-100 text-sm">
            {data.clients.map((c) => (
              <li
                key={c.id}
                className="flex flex-wrap items-center justify-between gap-2 py-2"
                data-testid={`freshness-${c.slug}`}
              >
                <span className="font-medium">{c.name}</span>
                <span className="flex flex-wrap items-center gap-2">
                  <span className="text-gray-700">
                    {c.lastSuccessAt ? `synced ${formatAge(c.ageSeconds)}` : "never synced"}
                  </span>
                  <Badge tone={c.stale ? "amber" : "green"}>{c.stale ? "Stale" : "Fresh"}</Badge>
                  {c.lastRunStatus === "error" && <Badge tone="red">Last sync failed</Badge>}
                </span>
                {c.lastRunStatus === "error" && c.lastRunError && (
                  <span className="w-full break-words text-xs text-red-800">{c.lastRunError}</span>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
