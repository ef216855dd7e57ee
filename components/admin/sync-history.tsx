"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { formatCount, formatMs } from "@/components/format/format";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { Skeleton } from "@/components/ui/skeleton";
import type { RunView } from "@/lib/metrics/status/types";
import { adminApi, adminKeys, errorText } from "./api";
import { STATUS_LABEL, STATUS_TONE, formatTime, isFinished } from "./format";
import { ALERT, LINK } from "./styles";

const LIMIT = 20;

/** The client's runs, newest first; refreshes itself while one of them is still going. */
export function SyncHistory({ clientId }: { clientId: number }) {
  const history = useQuery({
    queryKey: adminKeys.syncRuns(clientId),
    queryFn: async ({ signal }) =>
      (await adminApi<{ runs: RunView[] }>(`/api/v1/admin/clients/${clientId}/sync-runs?limit=${LIMIT}`, { signal }))
        .runs,
    refetchInterval: (query) => (query.state.data?.some((r) => !isFinished(r.status)) ? 2_000 : false),
  });
  if (history.isPending) return <Skeleton label="sync history" className="h-32" />;
  if (history.error) {
    return (
      <p role="alert" className={ALERT}>
        The sync history could not be loaded: {errorText(history.error)}
      </p>
    );
  }
  if (history.data.length === 0)
    return <EmptyState title="No runs yet">Use “Sync now” to collect this client’s executions.</EmptyState>;
  return (
    <div
      className="overflow-x-auto rounded-lg border border-gray-200 bg-white"
      tabIndex={0}
      role="region"
      aria-label="Sync history, scrolls sideways on small screens"
    >
      <table className="min-w-full divide-y divide-gray-200 text-sm">
        <caption className="sr-only">The last {LIMIT} runs of this client, newest first</caption>
        <thead className="bg-gray-50 text-left text-gray-700">
          <tr>
            <th scope="col" className="px-3 py-2 font-medium">
              Run
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Started
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Status
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              New
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              Updated
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              Excluded
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              Duration
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Phases
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-gray-100">
          {history.data.map((run) => (
            <tr key={run.id} data-testid="sync-run-row">
              <th scope="row" className="whitespace-nowrap px-3 py-2 text-left font-normal">
                <Link href={`/admin/tasks/${run.id}`} className={LINK}>
                  #{run.id} {run.function}
                </Link>
                <span className="block text-xs text-gray-600">{run.trigger}</span>
              </th>
              <td className="whitespace-nowrap px-3 py-2">{formatTime(run.startedAt)}</td>
              <td className="px-3 py-2">
                <Badge tone={STATUS_TONE[run.status]}>{STATUS_LABEL[run.status]}</Badge>
                {run.error && <span className="mt-1 block max-w-72 break-words text-xs text-red-800">{run.error}</span>}
              </td>
              <td className="px-3 py-2 text-right tabular-nums">{formatCount(run.counts.executionsNew)}</td>
              <td className="px-3 py-2 text-right tabular-nums">{formatCount(run.counts.executionsUpdated)}</td>
              <td className="px-3 py-2 text-right tabular-nums">{formatCount(run.counts.executionsExcluded)}</td>
              <td className="px-3 py-2 text-right tabular-nums">{formatMs(run.durationMs)}</td>
              <td className="px-3 py-2 text-xs text-gray-700">
                {Object.entries(run.phaseMs)
                  .map(([phase, ms]) => `${phase} ${formatMs(ms)}`)
                  .join(" · ") || "—"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
