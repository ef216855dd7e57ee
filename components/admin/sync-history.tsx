"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { formatCount, formatMs, formatTimestampSeconds } from "@/components/format/format";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { Skeleton } from "@/components/ui/skeleton";
import type { RunView } from "@/lib/metrics/status/types";
import { TEXT_LINK } from "@/components/ui/link";
import { ALERT } from "@/components/ui/message";
import { CELL_COMPACT, TABLE, TBODY, THEAD, TableScroll } from "@/components/ui/table";
import { adminApi, adminKeys, errorText } from "./api";
import { PhaseBreakdown } from "./phase-breakdown";
import { STATUS_LABEL, STATUS_TONE, isFinished } from "./sync-status";

const LIMIT = 20;

/**
 * The client's runs, newest first, with start and end to the second in the client's zone
 * and each phase's share of the run; refreshes itself while one of them is still going.
 */
export function SyncHistory({ clientId, timeZone }: { clientId: number; timeZone: string }) {
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
    <TableScroll boxed label="Sync history, scrolls sideways on small screens">
      <table className={TABLE}>
        <caption className="sr-only">
          The last {LIMIT} runs of this client, newest first; times in {timeZone}
        </caption>
        <thead className={THEAD}>
          <tr>
            <th scope="col" className={`${CELL_COMPACT} font-medium`}>
              Run
            </th>
            <th scope="col" className={`${CELL_COMPACT} font-medium`}>
              Started and finished
            </th>
            <th scope="col" className={`${CELL_COMPACT} font-medium`}>
              Status
            </th>
            <th scope="col" className={`${CELL_COMPACT} text-right font-medium`}>
              New
            </th>
            <th scope="col" className={`${CELL_COMPACT} text-right font-medium`}>
              Updated
            </th>
            <th scope="col" className={`${CELL_COMPACT} text-right font-medium`}>
              Excluded
            </th>
            <th scope="col" className={`${CELL_COMPACT} text-right font-medium`}>
              Duration
            </th>
            <th scope="col" className={`${CELL_COMPACT} font-medium`}>
              Phases
            </th>
          </tr>
        </thead>
        <tbody className={TBODY}>
          {history.data.map((run) => (
            <tr key={run.id} data-testid="sync-run-row">
              <th scope="row" className={`${CELL_COMPACT} whitespace-nowrap text-left font-normal`}>
                <Link href={`/admin/tasks/${run.id}`} className={TEXT_LINK}>
                  #{run.id} {run.function}
                </Link>
                <span className="block text-xs text-gray-600">{run.trigger}</span>
              </th>
              <td className={`${CELL_COMPACT} whitespace-nowrap tabular-nums`}>
                <time dateTime={run.startedAt}>{formatTimestampSeconds(run.startedAt, timeZone)}</time>
                <span className="block text-xs text-gray-600">
                  {run.finishedAt ? (
                    <>
                      to <time dateTime={run.finishedAt}>{formatTimestampSeconds(run.finishedAt, timeZone)}</time>
                    </>
                  ) : (
                    "not finished"
                  )}
                </span>
              </td>
              <td className={CELL_COMPACT}>
                <Badge tone={STATUS_TONE[run.status]}>{STATUS_LABEL[run.status]}</Badge>
                {run.error && <span className="mt-1 block max-w-72 break-words text-xs text-red-800">{run.error}</span>}
              </td>
              <td className={`${CELL_COMPACT} text-right tabular-nums`}>{formatCount(run.counts.executionsNew)}</td>
              <td className={`${CELL_COMPACT} text-right tabular-nums`}>{formatCount(run.counts.executionsUpdated)}</td>
              <td className={`${CELL_COMPACT} text-right tabular-nums`}>
                {formatCount(run.counts.executionsExcluded)}
              </td>
              <td className={`${CELL_COMPACT} text-right tabular-nums`}>{formatMs(run.durationMs)}</td>
              <td className={`${CELL_COMPACT} min-w-64 text-xs text-gray-700`}>
                <PhaseBreakdown phaseMs={run.phaseMs} durationMs={run.durationMs} compact />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
