"use client";

import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import { TEXT_LINK } from "@/components/ui/link";
import { FAILED_RUNS, runsHref } from "@/lib/web/explorer-search";
import { formatUsd } from "@/components/format/money";
import type { MetricUnit } from "@/lib/metrics/types";
import type { DashboardQuery } from "@/lib/web/range";
import { overviewQuery } from "@/lib/web/metrics-queries";
import { useDashboardQuery } from "@/lib/web/use-dashboard-query";
import { Delta } from "./delta";
import { formatValue } from "@/components/format/format";

/** Money goes through the one USD formatter (sub-dollar costs keep their digits). */
const display = (value: number | null, unit: MetricUnit) =>
  unit === "usd" ? formatUsd(value) : formatValue(value, unit);

/** Summary cards: the API already orders them by priority and leaves out metrics without data. */
export function OverviewCards({ q, slug, refresh }: { q: DashboardQuery; slug: string; refresh: boolean }) {
  const { data } = useDashboardQuery(overviewQuery(q), refresh);
  if (data.totals.length === 0) {
    return (
      <EmptyState title="No executions in this range">
        Try a longer timeframe, or check the client’s last sync.
      </EmptyState>
    );
  }
  return (
    <ul className="grid grid-cols-2 gap-3 lg:grid-cols-4">
      {data.totals.map((t) => (
        <li key={t.metric} className="rounded-lg border border-gray-200 p-3" data-testid={`metric-card-${t.metric}`}>
          <p className="text-xs font-medium text-gray-600">{t.label}</p>
          <p className="mt-1 text-2xl font-semibold tabular-nums" data-testid="metric-value">
            {display(t.value, t.unit)}
          </p>
          <p className="mt-1">
            <Delta comparison={t} unit={t.unit} metric={t.metric} />
            <span className="sr-only">, previous period {display(t.previous, t.unit)}</span>
          </p>
          {t.metric === "failures" && t.value > 0 && (
            <Link href={runsHref(slug, q.range, FAILED_RUNS)} className={`mt-1 inline-block text-xs ${TEXT_LINK}`}>
              Which runs failed?
            </Link>
          )}
        </li>
      ))}
    </ul>
  );
}
