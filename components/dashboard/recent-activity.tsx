"use client";

import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import { TEXT_LINK } from "@/components/ui/link";
import { runHref } from "@/lib/web/explorer-search";
import type { DashboardQuery } from "@/lib/web/range";
import { RECENT_ACTIVITY_LIMIT, recentActivityQuery } from "@/lib/web/metrics-queries";
import { useDashboardQuery } from "@/lib/web/use-dashboard-query";
import { formatDateTime, formatMs } from "@/components/format/format";
import { StatusBadge } from "./status-badge";

/**
 * Newest production executions, whatever the range: what ran, how it ended, where it
 * failed; started when in the client's `timeZone`.
 */
export function RecentActivity({ q, slug, refresh }: { q: DashboardQuery; slug: string; refresh: boolean }) {
  const { timeZone } = q;
  const { data } = useDashboardQuery(recentActivityQuery(q.clientId, RECENT_ACTIVITY_LIMIT), refresh);
  if (data.items.length === 0)
    return <EmptyState title="No executions yet">None has been collected for this client.</EmptyState>;
  return (
    <ol className="divide-y divide-gray-100" data-testid="recent-activity">
      {data.items.map((item) => (
        <li key={item.executionId} className="flex items-start justify-between gap-3 py-2 text-sm">
          <div className="min-w-0 flex-1">
            <p className="break-words font-medium text-gray-900">{item.workflowName}</p>
            <p className="text-xs text-gray-600">
              <Link
                href={runHref(slug, item.executionId)}
                className={TEXT_LINK}
                aria-label={`Execution ${item.executionId} in Runs`}
              >
                #{item.executionId}
              </Link>{" "}
              · {item.mode} · <time dateTime={item.startedAt}>{formatDateTime(item.startedAt, timeZone)}</time>
              {item.durationMs != null && <> · {formatMs(item.durationMs)}</>}
            </p>
            {item.errorMessage && (
              <p className="mt-0.5 break-words text-xs text-red-800">
                {item.errorNode ? `${item.errorNode}: ` : ""}
                {item.errorMessage}
              </p>
            )}
          </div>
          <span className="shrink-0">
            <StatusBadge status={item.status} />
          </span>
        </li>
      ))}
    </ol>
  );
}
