"use client";

import { ChartBarLatency } from "@/components/charts/chart-bar-latency";
import { EmptyState } from "@/components/ui/empty-state";
import { Stat, StatGrid } from "@/components/ui/stat";
import { latencyQuery } from "@/lib/web/metrics-queries";
import type { DashboardQuery } from "@/lib/web/range";
import { useDashboardQuery } from "@/lib/web/use-dashboard-query";
import { Delta } from "./delta";
import { formatCount, formatMs } from "@/components/format/format";

const PERCENTILES = ["p50", "p75", "p90", "p95", "p99"] as const;

/** Duration percentiles (from merged histograms), the distribution, and the slowest workflows. */
export function LatencyPanel({ q, refresh }: { q: DashboardQuery; refresh: boolean }) {
  const { data } = useDashboardQuery(latencyQuery(q), refresh);
  if (data.count === 0)
    return <EmptyState title="No timed executions in this range">Try a longer timeframe.</EmptyState>;
  return (
    <div className="space-y-4">
      <StatGrid label="Duration percentiles">
        {PERCENTILES.map((p) => (
          <Stat key={p} id={p} label={p} value={formatMs(data.percentiles[p])}>
            {p === "p95" && <Delta comparison={data.comparison.p95} unit="ms" metric="p95_duration_ms" />}
          </Stat>
        ))}
        <Stat id="avg" label="Average" value={formatMs(data.avgMs)}>
          <Delta comparison={data.comparison.avgMs} unit="ms" metric="avg_duration_ms" />
        </Stat>
      </StatGrid>
      <p className="text-xs text-gray-600">
        {formatCount(data.count)} timed executions; shortest {formatMs(data.minMs)}, longest {formatMs(data.maxMs)}.
        Percentiles are within ±{Math.round(data.relativeAccuracy * 100)}% of the exact value.
      </p>
      <div>
        <h4 className="mb-2 text-sm font-semibold">Distribution</h4>
        <ChartBarLatency bands={data.distribution} />
      </div>
      {data.slowestWorkflows.length > 0 && (
        <div className="overflow-x-auto">
          <table className="min-w-full text-sm">
            <caption className="mb-2 text-left text-sm font-semibold">Slowest workflows by p95</caption>
            <thead className="text-left text-xs text-gray-600">
              <tr>
                <th scope="col" className="py-1 pr-3 font-medium">
                  Workflow
                </th>
                <th scope="col" className="py-1 pr-3 text-right font-medium">
                  Runs
                </th>
                <th scope="col" className="py-1 pr-3 text-right font-medium">
                  p50
                </th>
                <th scope="col" className="py-1 pr-3 text-right font-medium">
                  p95
                </th>
                <th scope="col" className="py-1 text-right font-medium">
                  Max
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-gray-100">
              {data.slowestWorkflows.map((w) => (
                <tr key={w.workflowId}>
                  <th scope="row" className="py-1.5 pr-3 text-left font-normal">
                    {w.name}
                  </th>
                  <td className="py-1.5 pr-3 text-right tabular-nums">{formatCount(w.count)}</td>
                  <td className="py-1.5 pr-3 text-right tabular-nums">{formatMs(w.p50)}</td>
                  <td className="py-1.5 pr-3 text-right tabular-nums">{formatMs(w.p95)}</td>
                  <td className="py-1.5 text-right tabular-nums">{formatMs(w.maxMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
