"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { ChartBarFailuresByHour } from "@/components/charts/chart-bar-failures-by-hour";
import { TEXT_LINK } from "@/components/ui/link";
import { FAILED_RUNS, runsHref, workflowHref } from "@/lib/web/explorer-search";
import { EmptyState } from "@/components/ui/empty-state";
import { Stat, StatGrid } from "@/components/ui/stat";
import { performanceQuery } from "@/lib/web/metrics-queries";
import type { DashboardQuery } from "@/lib/web/range";
import { useDashboardQuery } from "@/lib/web/use-dashboard-query";
import { Delta } from "./delta";
import { formatCount, formatDateTime, formatPercent } from "@/components/format/format";

/** Success rate and where the failures are: by workflow, by hour of day, by message. */
export function PerformancePanel({ q, slug, refresh }: { q: DashboardQuery; slug: string; refresh: boolean }) {
  const { data } = useDashboardQuery(performanceQuery(q), refresh);
  const router = useRouter();
  if (data.executions === 0)
    return <EmptyState title="No executions in this range">Try a longer timeframe.</EmptyState>;
  const failing = data.byWorkflow.filter((w) => w.failures > 0).slice(0, 10);
  const failuresAt = (hour: number) => runsHref(slug, q.range, { ...FAILED_RUNS, hour: String(hour) });
  const worstHours = data.byHourOfDay
    .filter((h) => h.failures > 0)
    .sort((a, b) => b.failures - a.failures || a.hour - b.hour)
    .slice(0, 3);
  return (
    <div className="space-y-4">
      <StatGrid label="Performance">
        <Stat id="success-rate" label="Success rate" value={formatPercent(data.successRate)}>
          <Delta comparison={data.comparison.successRate} unit="percent" metric="success_rate" />
        </Stat>
        <Stat id="failures" label="Failures" value={formatCount(data.failures)}>
          <Delta comparison={data.comparison.failures} unit="count" metric="failures" />
        </Stat>
        <Stat id="finished" label="Finished" value={formatCount(data.finished)} />
        <Stat id="canceled" label="Canceled" value={formatCount(data.canceled)} />
      </StatGrid>
      <div>
        <h4 className="mb-2 text-sm font-semibold">Failures by hour of day ({q.timeZone})</h4>
        <ChartBarFailuresByHour
          hours={data.byHourOfDay}
          timeZone={q.timeZone}
          onSelectHour={(hour) => router.push(failuresAt(hour))}
        />
        {worstHours.length > 0 && (
          <p className="mt-1 text-xs text-gray-600" data-testid="failure-hours">
            Open the failures at{" "}
            {worstHours.map((h, i) => (
              <span key={h.hour}>
                {i > 0 && ", "}
                <Link href={failuresAt(h.hour)} className={TEXT_LINK}>
                  {String(h.hour).padStart(2, "0")}:00 ({formatCount(h.failures)})
                </Link>
              </span>
            ))}
            ; or click a bar.
          </p>
        )}
      </div>
      <div>
        <h4 className="mb-2 text-sm font-semibold">Failures by workflow</h4>
        {failing.length === 0 ? (
          <p className="text-sm text-gray-600">No workflow failed in this range.</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="min-w-full text-sm">
              <caption className="sr-only">Workflows with failures, most failures first</caption>
              <thead className="text-left text-xs text-gray-600">
                <tr>
                  <th scope="col" className="py-1 pr-3 font-medium">
                    Workflow
                  </th>
                  <th scope="col" className="py-1 pr-3 text-right font-medium">
                    Failures
                  </th>
                  <th scope="col" className="py-1 text-right font-medium">
                    Failure rate
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-gray-100">
                {failing.map((w) => (
                  <tr key={w.workflowId}>
                    <th scope="row" className="py-1.5 pr-3 text-left font-normal">
                      <Link href={workflowHref(slug, q.range, w.workflowId)} className={TEXT_LINK}>
                        {w.name}
                      </Link>
                    </th>
                    <td className="py-1.5 pr-3 text-right tabular-nums">
                      <Link
                        href={runsHref(slug, q.range, { ...FAILED_RUNS, workflowId: String(w.workflowId) })}
                        className={TEXT_LINK}
                        aria-label={`${formatCount(w.failures)} failed runs of ${w.name}`}
                      >
                        {formatCount(w.failures)}
                      </Link>
                    </td>
                    <td className="py-1.5 text-right tabular-nums">{formatPercent(w.failureRate)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
      {data.topErrors.length > 0 && (
        <div>
          <h4 className="mb-2 text-sm font-semibold">Most frequent errors</h4>
          <ul className="space-y-2 text-sm">
            {data.topErrors.map((e) => (
              <li key={`${e.node}-${e.message}`} className="rounded border border-gray-200 p-2">
                <p className="break-words font-medium text-red-800">
                  {e.node ? `${e.node}: ` : ""}
                  {e.message}
                </p>
                <p className="text-xs text-gray-600">
                  {formatCount(e.count)}× in {e.workflows} workflow{e.workflows === 1 ? "" : "s"}, last{" "}
                  {formatDateTime(e.lastSeenAt, q.timeZone)}
                </p>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
