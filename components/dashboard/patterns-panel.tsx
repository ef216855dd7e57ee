"use client";

import { ChartBarExecutions } from "@/components/charts/chart-bar-executions";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { TEXT_LINK } from "@/components/ui/link";
import { EmptyState } from "@/components/ui/empty-state";
import type { Anomaly, Burst } from "@/lib/metrics/execution/types";
import { FAILED_RUNS, runsHref } from "@/lib/web/explorer-search";
import { patternsQuery } from "@/lib/web/metrics-queries";
import type { DashboardQuery } from "@/lib/web/range";
import { useDashboardQuery } from "@/lib/web/use-dashboard-query";
import { formatCount, formatDateTime, formatPercent } from "@/components/format/format";

/** The timeline, then every burst and anomaly with the reason it was flagged. */
export function PatternsPanel({ q, slug, refresh }: { q: DashboardQuery; slug: string; refresh: boolean }) {
  const { data } = useDashboardQuery(patternsQuery(q), refresh);
  const hasData = data.timeline.some((p) => p.executions != null);
  const { baseline } = data;
  return (
    <div className="space-y-5">
      {hasData ? (
        <ChartBarExecutions
          rows={data.timeline}
          step={data.range.granularity}
          range={data.range}
          timeZone={q.timeZone}
          label="Pattern timeline"
        />
      ) : (
        <EmptyState title="No executions in this range">Try a longer timeframe.</EmptyState>
      )}
      <p className="text-xs text-gray-600">
        Each hour is compared with a {baseline.kind === "trailing" ? "trailing" : "same-hour-of-day"} baseline over{" "}
        {baseline.windowHours} hours (median and MAD). An anomaly is |robust z| ≥ {baseline.threshold}; a burst exceeds
        the median + {baseline.burstK}·MAD. Judged up to {formatDateTime(data.analyzedUntil, q.timeZone)}.
      </p>
      <section aria-labelledby="bursts-heading">
        <h4 id="bursts-heading" className="mb-2 text-sm font-semibold">
          Bursts ({data.bursts.length})
        </h4>
        {data.bursts.length === 0 ? (
          <p className="text-sm text-gray-600">No bursts in this range.</p>
        ) : (
          <ul className="space-y-2" data-testid="bursts">
            {data.bursts.map((b) => (
              <BurstItem key={`${b.level}-${b.start}`} burst={b} timeZone={q.timeZone} />
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="anomalies-heading">
        <h4 id="anomalies-heading" className="mb-2 text-sm font-semibold">
          Anomalies ({data.anomalies.length})
        </h4>
        {data.anomalies.length === 0 ? (
          <p className="text-sm text-gray-600">No anomalies in this range.</p>
        ) : (
          <ul className="space-y-2" data-testid="anomalies">
            {data.anomalies.map((a) => (
              <AnomalyItem key={`${a.metric}-${a.bucket}`} anomaly={a} slug={slug} timeZone={q.timeZone} />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function BurstItem({ burst, timeZone }: { burst: Burst; timeZone: string }) {
  return (
    <li className="rounded border border-gray-200 border-l-4 border-l-amber-500 p-3 text-sm">
      <p className="flex flex-wrap items-center gap-2 font-medium">
        <Badge tone="amber">Burst</Badge>
        {formatDateTime(burst.start, timeZone)} – {formatDateTime(burst.end, timeZone)}
      </p>
      <p className="mt-1 text-gray-800">{burst.reason}</p>
      <p className="mt-1 text-xs text-gray-600">
        {formatCount(burst.executions)} executions in {burst.buckets} {burst.level}
        {burst.buckets === 1 ? "" : "s"}, peak {formatCount(burst.peakExecutions)}
      </p>
    </li>
  );
}

const HOUR_MS = 3_600_000;

function AnomalyItem({ anomaly: a, slug, timeZone }: { anomaly: Anomaly; slug: string; timeZone: string }) {
  const what = a.metric === "volume" ? "Volume" : "Failure rate";
  // The anomaly's hour in the explorer: its failures, or every production run for volume.
  const hour = { start: a.bucket, end: new Date(Date.parse(a.bucket) + HOUR_MS).toISOString() };
  const runs = runsHref(slug, hour, a.metric === "volume" ? { class: "production" } : FAILED_RUNS);
  const value = a.metric === "volume" ? formatCount(a.value) : formatPercent(a.value);
  return (
    <li
      className={`rounded border border-gray-200 border-l-4 p-3 text-sm ${a.direction === "high" ? "border-l-red-600" : "border-l-sky-600"}`}
    >
      <p className="flex flex-wrap items-center gap-2 font-medium">
        <Badge tone={a.direction === "high" ? "red" : "blue"}>
          {what} {a.direction}
        </Badge>
        {formatDateTime(a.bucket, timeZone)} · {value}
      </p>
      <p className="mt-1 text-gray-800">{a.reason}</p>
      <p className="mt-1 text-xs text-gray-600">
        {formatCount(a.executions)} executions, {formatCount(a.failures)} failures; robust z {a.robustZ.toFixed(1)}
        {" · "}
        <Link href={runs} className={TEXT_LINK} data-testid="anomaly-runs">
          {a.metric === "volume" ? "Open the runs of this hour" : "Open the failures of this hour"}
        </Link>
      </p>
    </li>
  );
}
