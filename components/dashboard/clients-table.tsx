"use client";

import type { ComponentProps } from "react";
import Link from "next/link";
import { Badge, type Tone } from "@/components/ui/badge";
import { Sparkline } from "@/components/charts/sparkline";
import { runHref } from "@/lib/web/explorer-search";
import { TEXT_LINK } from "@/components/ui/link";
import { formatUsd } from "@/components/format/money";
import type { ClientOverviewRow } from "@/lib/metrics/types";
import { allClientsQuery } from "@/lib/web/metrics-queries";
import { rangeSearch, type DashboardRange } from "@/lib/web/range";
import { useDashboardQuery } from "@/lib/web/use-dashboard-query";
import { formatAge, formatCount, formatMinutes, formatPercent, formatTimestamp } from "@/components/format/format";
import { CELL, STACKED, TABLE, TBODY, THEAD, TableScroll, stackedCell } from "@/components/ui/table";
import { Delta } from "./delta";

/**
 * A row may carry the client's LLM cost for the range (null: no priced usage). Optional
 * here so the table also reads an API that does not send it yet.
 */
type OverviewRow = ClientOverviewRow & { llmCostUsd?: number | null };

/** The operator overview: every client's figures for the range, and how fresh its data is. */
export function ClientsTable({ range, refresh }: { range: DashboardRange; refresh: boolean }) {
  const { data } = useDashboardQuery(allClientsQuery(range), refresh);
  if (data.clients.length === 0) {
    return (
      <p
        className="rounded-lg border border-dashed border-gray-300 bg-white p-8 text-center text-gray-700"
        data-testid="empty-state"
      >
        No clients yet. Set <code>N8N_BASE_URL</code> and <code>N8N_API_KEY</code>, or start with{" "}
        <code>FLOWSCOPE_DEMO=1</code>, to collect from n8n.
      </p>
    );
  }
  const query = new URLSearchParams(rangeSearch(range)).toString();
  const clients: OverviewRow[] = data.clients;
  return (
    <TableScroll boxed label="Clients table, scrolls sideways on small screens">
      <table className={`${TABLE} ${STACKED.table}`}>
        <caption className="sr-only">
          Every client with its executions, success rate, failures, time saved, LLM cost and data freshness
        </caption>
        <thead className={`${THEAD} ${STACKED.thead}`}>
          <tr>
            <th scope="col" className={`${CELL} font-medium`}>
              Client
            </th>
            <th scope="col" className={`${CELL} font-medium`}>
              Health
            </th>
            <th scope="col" className={`${CELL} font-medium`}>
              Runs and failures
            </th>
            <th scope="col" className={`${CELL} text-right font-medium`}>
              Executions
            </th>
            <th scope="col" className={`${CELL} text-right font-medium`}>
              Success rate
            </th>
            <th scope="col" className={`${CELL} text-right font-medium`}>
              Failures
            </th>
            <th scope="col" className={`${CELL} text-right font-medium`}>
              Time saved
            </th>
            <th scope="col" className={`${CELL} text-right font-medium`}>
              LLM cost
            </th>
            <th scope="col" className={`${CELL} font-medium`}>
              Data freshness
            </th>
            <th scope="col" className={`${CELL} font-medium`}>
              Last failure
            </th>
          </tr>
        </thead>
        <tbody className={`${TBODY} ${STACKED.tbody}`}>
          {clients.map((c) => (
            <tr key={c.clientId} data-testid={`client-row-${c.slug}`} className={STACKED.row}>
              <th scope="row" className={`${CELL} text-left font-medium max-sm:block`}>
                <Link href={`/clients/${encodeURIComponent(c.slug)}?${query}`} className={TEXT_LINK}>
                  {c.name}
                </Link>
                {!c.active && <span className="ml-2 text-xs font-normal text-gray-600">(inactive)</span>}
              </th>
              <td {...stacked("Health")} data-testid="health">
                <HealthCell health={c.health} />
              </td>
              <td {...stacked("Runs and failures")}>
                <Sparkline
                  runs={c.trend.map((p) => p.executions)}
                  failures={c.trend.map((p) => p.failures)}
                  label={`Runs per ${data.source}, peak ${formatCount(Math.max(0, ...c.trend.map((p) => p.executions)))}; ${formatCount(c.failures)} failures`}
                />
              </td>
              {c.health.state === "first-sync" ? (
                // Before the first sync there are no figures yet: not zeros.
                <td colSpan={5} {...stacked("Figures", "text-gray-600")} data-testid="first-sync">
                  {c.health.reason}: figures appear once it has run.
                </td>
              ) : (
                <>
                  <FigureCell
                    label="Executions"
                    testId="execution-count"
                    value={formatCount(c.executions)}
                    comparison={c.comparison.executions}
                    unit="count"
                    metric="executions"
                  />
                  <FigureCell
                    label="Success rate"
                    testId="success-rate"
                    value={formatPercent(c.successRate)}
                    comparison={c.comparison.successRate}
                    unit="percent"
                    metric="success_rate"
                  />
                  <FigureCell
                    label="Failures"
                    testId="failure-count"
                    value={formatCount(c.failures)}
                    comparison={c.comparison.failures}
                    unit="count"
                    metric="failures"
                  />
                  <td {...stacked("Time saved", "text-right tabular-nums")} data-testid="time-saved">
                    {formatMinutes(c.timeSavedMinutes)}
                  </td>
                  <td {...stacked("LLM cost", "text-right tabular-nums")} data-testid="llm-cost">
                    {formatUsd(c.llmCostUsd)}
                  </td>
                </>
              )}
              <td {...stacked("Data freshness")} data-testid="last-sync">
                <FreshnessCell client={c} />
              </td>
              <td {...stacked("Last failure")} data-testid="last-failure">
                {c.lastFailure ? (
                  <span className="block min-w-40">
                    <Link href={runHref(c.slug, c.lastFailure.executionId)} className={TEXT_LINK}>
                      {c.lastFailure.workflowName}
                    </Link>
                    <span className="block text-xs text-gray-600">
                      {c.lastFailure.startedAt ? formatTimestamp(c.lastFailure.startedAt) : "not started"}
                    </span>
                  </span>
                ) : (
                  <span className="text-gray-600">none</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

const HEALTH_TONE: Record<ClientOverviewRow["health"]["state"], Tone> = {
  failing: "red",
  degraded: "amber",
  "first-sync": "blue",
  healthy: "green",
  inactive: "gray",
};

const HEALTH_LABEL: Record<ClientOverviewRow["health"]["state"], string> = {
  failing: "Failing",
  degraded: "Degraded",
  "first-sync": "First sync",
  healthy: "Healthy",
  inactive: "Inactive",
};

/** Colour and word together, and the reason under them: never colour alone. */
function HealthCell({ health }: { health: ClientOverviewRow["health"] }) {
  return (
    <span className="block min-w-32">
      <Badge tone={HEALTH_TONE[health.state]}>{HEALTH_LABEL[health.state]}</Badge>
      <span className="mt-0.5 block text-xs text-gray-600">{health.reason}</span>
    </span>
  );
}

/** A cell under its column's name on phones (stacked rows), a table cell from sm up. */
const stacked = (label: string, extra = "") => stackedCell(label, extra, CELL);

/** A figure of the range with its change against the previous period. */
function FigureCell({
  label,
  testId,
  value,
  ...delta
}: { label: string; testId: string; value: string } & ComponentProps<typeof Delta>) {
  return (
    <td {...stacked(label, "text-right")}>
      {/* One item, so on a phone the figure and its change stay together at the right. */}
      <span>
        <span className="block tabular-nums" data-testid={testId}>
          {value}
        </span>
        <Delta {...delta} />
      </span>
    </td>
  );
}

function FreshnessCell({ client }: { client: ClientOverviewRow }) {
  const f = client.freshness;
  // A first sync still running is "Syncing…", not yet stale.
  const firstSync = !f.lastSyncAt && f.lastRunStatus === "running";
  return (
    <span className="flex flex-wrap items-center gap-2">
      <span className="text-gray-700">
        {f.lastSyncAt ? `synced ${formatAge(f.ageSeconds)}` : firstSync ? "Syncing…" : "never synced"}
      </span>
      {/* Text, not colour alone, carries the state. */}
      {client.active && !firstSync && (f.stale ? <Badge tone="amber">Stale</Badge> : <Badge tone="green">Fresh</Badge>)}
      {f.lastRunStatus === "error" && <Badge tone="red">Last sync failed</Badge>}
    </span>
  );
}
