"use client";

import { ChartBarFailuresByHour } from "@/components/charts/chart-bar-failures-by-hour";
import { EmptyState } from "@/components/ui/empty-state";
import { Stat, StatGrid } from "@/components/ui/stat";
import { performanceQuery } from "@/lib/web/metrics-queries";
import type { DashboardQuery } from "@/lib/web/range";
import { useDashboardQuery } from "@/lib/web/use-dashboard-query";
import { Delta } from "./delta";
import { formatCount, formatDateTime, formatPercent } from "@/components/format/format";

/** Success rate and where the failures are: by workflow, by hour of day, by message. */
export function PerformancePanel({ q, refresh }: { q: DashboardQuery; refresh: boolean }) {
  const { data } = useDashboardQuery(performanceQuery(q), refresh);
  if (data.executions === 0)
    return <EmptyState title="No executions in this range">Try a longer timeframe.</EmptyState>;
  const failing = data.byWorkflow.filter((w) => w.failures > 0).slice(0, 10);
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
        <ChartBarFailuresByHour hours={data.byHourOfDay} timeZone={q.timeZone} />
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
                      {w.name}
                    </th>
                    <td className="py-1.5 pr-3 text-right tabular-nums">{formatCount(w.failures)}</td>
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
