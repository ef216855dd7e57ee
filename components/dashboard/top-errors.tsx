"use client";

import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import { TEXT_LINK } from "@/components/ui/link";
import { formatCount, formatDateTime } from "@/components/format/format";
import { FAILED_RUNS, runsHref } from "@/lib/web/explorer-search";
import { topErrorsQuery } from "@/lib/web/metrics-queries";
import type { DashboardQuery } from "@/lib/web/range";
import { useDashboardQuery } from "@/lib/web/use-dashboard-query";

/**
 * The causes behind the failure count: failed production runs grouped by workflow, node
 * and message, most frequent first, each linking to its runs. Times in the client's zone.
 */
export function TopErrors({
  q,
  slug,
  refresh,
  workflowId,
}: {
  q: DashboardQuery;
  slug: string;
  refresh: boolean;
  /** Only this workflow's errors (the workflow drill-down). */
  workflowId?: number;
}) {
  const { data } = useDashboardQuery(topErrorsQuery(q, workflowId), refresh);
  const more = data.errors.length > 0 ? "more " : "";
  const failures = (n: number) => `${formatCount(n)} ${more}${n === 1 ? "failure" : "failures"}`;
  const unknown =
    data.failuresPendingDetails > 0 || data.failuresWithoutMessage > 0 ? (
      <div className="space-y-1 text-xs text-gray-600">
        {data.failuresPendingDetails > 0 && (
          <p data-testid="failures-pending-details">
            {failures(data.failuresPendingDetails)} whose error is still to be read: each sync reads the errors of
            failed runs from n8n, a bounded number at a time.
          </p>
        )}
        {data.failuresWithoutMessage > 0 && (
          <p data-testid="failures-without-message">
            {failures(data.failuresWithoutMessage)} for which n8n recorded no message, or had deleted the run before it
            was read.
          </p>
        )}
      </div>
    ) : null;
  if (data.errors.length === 0)
    return (
      <div className="space-y-2">
        <EmptyState title="No error messages in this range">
          No failed production run in the range has told its error.
        </EmptyState>
        {unknown}
      </div>
    );
  return (
    <div className="space-y-2">
      <ol className="divide-y divide-gray-100" data-testid="top-errors">
        {data.errors.map((e) => (
          <li key={`${e.workflowId}-${e.node}-${e.message}`} className="flex items-start justify-between gap-3 py-2">
            <div className="min-w-0 flex-1 text-sm">
              <p className="break-words text-red-800">
                {e.node && <span className="font-medium">{e.node}: </span>}
                {e.message}
              </p>
              <p className="text-xs text-gray-600">
                {e.type && <>{e.type} · </>}
                {e.workflowName} · last <time dateTime={e.lastSeen}>{formatDateTime(e.lastSeen, q.timeZone)}</time>
                {" · "}first <time dateTime={e.firstSeen}>{formatDateTime(e.firstSeen, q.timeZone)}</time>
              </p>
            </div>
            <Link
              href={runsHref(slug, q.range, {
                ...FAILED_RUNS,
                workflowId: String(e.workflowId),
                error: e.message,
                ...(e.node ? { node: e.node } : {}),
              })}
              className={`shrink-0 text-sm tabular-nums ${TEXT_LINK}`}
              data-testid="error-runs"
            >
              {formatCount(e.failures)} {e.failures === 1 ? "run" : "runs"}
            </Link>
          </li>
        ))}
      </ol>
      {data.groups > data.errors.length && (
        <p className="text-xs text-gray-600">
          The {data.errors.length} most frequent of {formatCount(data.groups)} error messages.
        </p>
      )}
      {unknown}
    </div>
  );
}
