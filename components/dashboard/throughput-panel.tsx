"use client";

import { ChartLineThroughput } from "@/components/charts/chart-line-throughput";
import { EmptyState } from "@/components/ui/empty-state";
import { Stat, StatGrid } from "@/components/ui/stat";
import { throughputQuery } from "@/lib/web/metrics-queries";
import type { DashboardQuery } from "@/lib/web/range";
import { useDashboardQuery } from "@/lib/web/use-dashboard-query";
import { formatCount, formatDateTime, formatDecimal, formatPercent } from "@/components/format/format";
import { Delta } from "./delta";

/** Executions per minute, hour and day, the busiest bucket, and capacity use. */
export function ThroughputPanel({ q, refresh }: { q: DashboardQuery; refresh: boolean }) {
  const { data } = useDashboardQuery(throughputQuery(q), refresh);
  if (data.total === 0) return <EmptyState title="No executions in this range">Try a longer timeframe.</EmptyState>;
  const { capacity } = data;
  return (
    <div className="space-y-4">
      <StatGrid label="Throughput">
        <Stat id="throughput-total" label="Executions" value={formatCount(data.total)}>
          <Delta comparison={data.comparison} unit="count" metric="executions" />
        </Stat>
        <Stat id="per-hour" label="Per hour" value={formatDecimal(data.perHour)}>
          {formatDecimal(data.perMinute)} per minute · {formatDecimal(data.perDay)} per day
        </Stat>
        <Stat
          id="peak"
          label={`Busiest ${data.range.granularity}`}
          value={data.peak ? formatCount(data.peak.executions) : "—"}
        >
          {data.peak ? formatDateTime(data.peak.bucket, q.timeZone) : "no data"}
          {data.peakMinute && ` · busiest minute ${formatCount(data.peakMinute.executions)}`}
        </Stat>
        <Stat id="capacity" label="Peak capacity use" value={formatPercent(capacity.peakPct)}>
          {capacity.peakConcurrency ?? "—"} of {capacity.concurrencyLimit} concurrent · average{" "}
          {formatPercent(capacity.avgPct)}
        </Stat>
      </StatGrid>
      <ChartLineThroughput
        series={data.series}
        step={data.range.granularity}
        range={data.range}
        concurrencyLimit={capacity.concurrencyLimit}
        timeZone={q.timeZone}
      />
      <p className="text-xs text-gray-600">
        Peak concurrency sums each workflow’s peak in the bucket, so it can overstate the client’s true peak.
      </p>
    </div>
  );
}
