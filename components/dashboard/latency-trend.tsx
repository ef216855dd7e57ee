"use client";

import { ChartLineLatency } from "@/components/charts/chart-line-latency";
import { EmptyState } from "@/components/ui/empty-state";
import { seriesQuery } from "@/lib/web/metrics-queries";
import type { DashboardQuery } from "@/lib/web/range";
import { useDashboardQuery } from "@/lib/web/use-dashboard-query";

/** The latency tab's percentiles per bucket, from the same series as the overview's trend. */
export function LatencyTrend({ q, refresh, workflowId }: { q: DashboardQuery; refresh: boolean; workflowId?: number }) {
  const { data } = useDashboardQuery(seriesQuery(q, workflowId), refresh);
  if (!data.series.some((p) => p.p50DurationMs != null)) {
    return <EmptyState title="No durations in this range">No bucket in the range has a finished execution.</EmptyState>;
  }
  return (
    <div className="space-y-2">
      <ChartLineLatency data={data} timeZone={q.timeZone} />
      <p className="text-xs text-gray-600">
        The median (p50) is what a typical run takes; p95 and p99 show the slow tail. An average can sit far above the
        median when a few runs wait for hours (Wait nodes), so the percentiles are drawn here.
      </p>
    </div>
  );
}
