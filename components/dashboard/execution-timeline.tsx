"use client";

import { ChartBarExecutions } from "@/components/charts/chart-bar-executions";
import { EmptyState } from "@/components/ui/empty-state";
import { seriesQuery } from "@/lib/web/metrics-queries";
import type { DashboardQuery } from "@/lib/web/range";
import { useDashboardQuery } from "@/lib/web/use-dashboard-query";

/** The executions timeline from the series endpoint (the overview's trend shares its cache entry). */
export function ExecutionTimeline({ q, refresh }: { q: DashboardQuery; refresh: boolean }) {
  const { data } = useDashboardQuery(seriesQuery(q), refresh);
  if (!data.series.some((p) => p.executions != null)) {
    return <EmptyState title="No executions in this range">Try a longer timeframe.</EmptyState>;
  }
  return (
    <ChartBarExecutions
      rows={data.series}
      step={data.granularity}
      range={{ start: data.start, end: data.end }}
      timeZone={q.timeZone}
    />
  );
}
