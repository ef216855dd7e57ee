"use client";

import { ChartLineTrend } from "@/components/charts/chart-line-trend";
import { EmptyState } from "@/components/ui/empty-state";
import { seriesQuery } from "@/lib/web/metrics-queries";
import type { DashboardQuery } from "@/lib/web/range";
import { useDashboardQuery } from "@/lib/web/use-dashboard-query";

export function OverviewTrend({
  q,
  refresh,
  workflowId,
}: {
  q: DashboardQuery;
  refresh: boolean;
  workflowId?: number;
}) {
  const { data } = useDashboardQuery(seriesQuery(q, workflowId), refresh);
  if (!data.series.some((p) => p.executions != null)) {
    return <EmptyState title="Nothing to chart in this range">No bucket in the range has executions.</EmptyState>;
  }
  return <ChartLineTrend data={data} timeZone={q.timeZone} />;
}
