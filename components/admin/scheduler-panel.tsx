"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import type { SchedulerView } from "@/lib/api/scheduler-view";
import { CARD } from "@/components/ui/card";
import { TEXT_LINK } from "@/components/ui/link";
import { ALERT } from "@/components/ui/message";
import { formatAge, formatTimestamp, formatTimestampSeconds } from "@/components/format/format";
import { TABLE, TBODY, TableScroll } from "@/components/ui/table";
import { adminApi, adminKeys, errorText } from "./api";
import { RunJobButton } from "./run-job-button";
import { STATUS_LABEL, STATUS_TONE } from "./sync-status";

/** What each scheduler mode means, for the scheduler and system pages. */
export const MODE_TEXT: Record<SchedulerView["mode"], string> = {
  inngest: "Inngest schedules the jobs (one event per client sync).",
  "in-process": "This server runs the jobs on its own timers (no Inngest configured).",
  off: "Scheduling is off (FLOWSCOPE_SCHEDULER=off): nothing runs unless asked.",
};

/**
 * Scheduler mode, each job in words with its next run, last run and last failure (and,
 * for admins, "Run now"), and how fresh each client's data is.
 */
export function SchedulerPanel({ initialData, canRunJobs }: { initialData: SchedulerView; canRunJobs: boolean }) {
  const { data, error } = useQuery({
    queryKey: adminKeys.scheduler,
    queryFn: ({ signal }) => adminApi<SchedulerView>("/api/v1/tasks/scheduler-status", { signal }),
    initialData,
    refetchInterval: 30_000,
  });
  const clientNames = Object.fromEntries(data.clients.map((c) => [c.id, c.name]));
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
        <p className="mt-1 text-sm text-gray-600">
          Times to the second in {data.timezone}, the zone of the schedules.
          {canRunJobs ? " “Run now” starts a job at once, recorded like a scheduled run." : ""}
        </p>
        {data.jobs.length === 0 ? (
          <div className="mt-3">
            <EmptyState title="No scheduled jobs" />
          </div>
        ) : (
          <TableScroll className="mt-3" label="Jobs, scrolls sideways on small screens">
            <table className={TABLE}>
              <caption className="sr-only">Each scheduled job with its next run, last run and last failure</caption>
              <thead className="text-left text-gray-700">
                <tr>
                  <th scope="col" className="py-2 pr-3 font-medium">
                    Job
                  </th>
                  <th scope="col" className="py-2 pr-3 font-medium">
                    Next run
                  </th>
                  <th scope="col" className="py-2 pr-3 font-medium">
                    Last run
                  </th>
                  <th scope="col" className="py-2 pr-3 font-medium">
                    Last failure
                  </th>
                  {canRunJobs && (
                    <th scope="col" className="py-2 font-medium">
                      <span className="sr-only">Actions</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody className={TBODY}>
                {data.jobs.map((job) => (
                  <tr key={job.name} data-testid={`job-${job.name}`} className="align-top">
                    <th scope="row" className="max-w-72 py-2 pr-3 text-left font-normal">
                      <span className="block font-medium">{job.label}</span>
                      <span className="block text-xs text-gray-600">{job.description}</span>
                      <span className="mt-1 block font-mono text-xs text-gray-600">
                        {job.name} · <span aria-label={`cron ${job.cron}`}>{job.cron}</span>
                      </span>
                    </th>
                    <td className="whitespace-nowrap py-2 pr-3 tabular-nums" data-testid="job-next-run">
                      {job.nextRunAt ? (
                        <time dateTime={job.nextRunAt}>{formatTimestampSeconds(job.nextRunAt, data.timezone)}</time>
                      ) : (
                        "Not scheduled"
                      )}
                    </td>
                    <td className="py-2 pr-3">
                      {job.lastRun ? (
                        <span className="flex flex-wrap items-center gap-2">
                          <Badge tone={STATUS_TONE[job.lastRun.status]}>{STATUS_LABEL[job.lastRun.status]}</Badge>
                          <Link href={`/admin/tasks/${job.lastRun.id}`} className={`${TEXT_LINK} tabular-nums`}>
                            {formatTimestampSeconds(job.lastRun.startedAt, data.timezone)}
                          </Link>
                        </span>
                      ) : (
                        "Never"
                      )}
                    </td>
                    <td className="max-w-80 py-2 pr-3" data-testid="job-last-failure">
                      {job.lastFailure ? (
                        <span className="block space-y-1">
                          <Link
                            href={`/admin/tasks/${job.lastFailure.runId}`}
                            className={`${TEXT_LINK} tabular-nums`}
                            aria-label={`Failed run #${job.lastFailure.runId} of ${job.label}, ${formatTimestampSeconds(job.lastFailure.startedAt, data.timezone)}`}
                          >
                            {formatTimestampSeconds(job.lastFailure.startedAt, data.timezone)}
                          </Link>
                          {job.lastFailure.clientName && (
                            <span className="block text-xs text-gray-700">{job.lastFailure.clientName}</span>
                          )}
                          <span className="block break-words text-xs text-red-800">
                            {job.lastFailure.error ?? "Failed without a message."}
                          </span>
                        </span>
                      ) : (
                        <span className="text-gray-600">None</span>
                      )}
                    </td>
                    {canRunJobs && (
                      <td className="min-w-40 py-2">
                        {job.runNowPath ? (
                          <RunJobButton job={job} runNowPath={job.runNowPath} clientNames={clientNames} />
                        ) : (
                          <span className="text-xs text-gray-600">Runs every minute</span>
                        )}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
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
