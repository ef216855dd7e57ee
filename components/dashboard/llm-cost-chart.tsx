"use client";

import "@/components/charts/register";
import { Chart } from "react-chartjs-2";
import { baseOptions, ChartFrame } from "@/components/charts/chart-frame";
import { formatUsd } from "@/components/format/money";
import { toLlmCostChart } from "@/components/charts/llm-cost";
import { llmUsageQuery } from "@/lib/web/metrics-queries";
import type { DashboardQuery } from "@/lib/web/range";
import { useDashboardQuery } from "@/lib/web/use-dashboard-query";
import { formatCount } from "@/components/format/format";
import { LlmEmpty } from "./llm-table-parts";

/**
 * Cost per bucket as bars (left axis, USD) with tokens as a line (right axis). A bucket
 * without a priced call is a gap in the bars, not $0; the tokens line still shows that
 * usage happened there.
 */
export function LlmCostChart({ q, refresh }: { q: DashboardQuery; refresh: boolean }) {
  const { data } = useDashboardQuery(llmUsageQuery(q), refresh);
  if (data.totals.calls === 0) return <LlmEmpty />;
  const step = data.granularity;
  const chart = toLlmCostChart(data.costOverTime, step, { start: data.start, end: data.end }, q.timeZone);
  const summary =
    `Cost ${formatUsd(chart.totalCost, "unpriced")} and tokens per ${step} over ${chart.labels.length} buckets` +
    (chart.unpricedBuckets > 0 ? `; ${chart.unpricedBuckets} buckets have only unpriced usage.` : ".");

  return (
    <div className="space-y-2">
      <ChartFrame label="LLM cost over time" summary={summary} height="h-72">
        {(theme, ariaLabel) => (
          <Chart
            aria-label={ariaLabel}
            type="bar"
            data={{
              labels: chart.labels,
              datasets: [
                {
                  type: "line" as const,
                  label: "Tokens",
                  data: chart.tokens,
                  yAxisID: "tokens",
                  borderColor: theme.color("secondary"),
                  backgroundColor: theme.color("secondary"),
                  pointRadius: 0,
                  borderWidth: 2,
                  order: 0,
                },
                {
                  type: "bar" as const,
                  label: "Cost (USD)",
                  data: chart.cost,
                  yAxisID: "cost",
                  backgroundColor: theme.color("primary", 0.75),
                  hoverBackgroundColor: theme.color("primary"),
                  order: 1,
                },
              ],
            }}
            options={{
              ...baseOptions(theme),
              plugins: {
                ...baseOptions(theme).plugins,
                tooltip: {
                  callbacks: {
                    label: (item) =>
                      item.dataset.yAxisID === "cost"
                        ? `Cost: ${formatUsd(chart.cost[item.dataIndex] ?? null, "unpriced")}`
                        : `Tokens: ${formatCount(chart.tokens[item.dataIndex])}`,
                  },
                },
              },
              scales: {
                ...baseOptions(theme).scales,
                cost: {
                  position: "left",
                  beginAtZero: true,
                  title: { display: true, text: "USD", color: theme.color("text") },
                  ticks: { color: theme.color("text"), callback: (v) => formatUsd(Number(v)) },
                  grid: { color: theme.color("grid") },
                },
                tokens: {
                  position: "right",
                  beginAtZero: true,
                  title: { display: true, text: "tokens", color: theme.color("text") },
                  ticks: { color: theme.color("text"), precision: 0 },
                  grid: { display: false },
                },
              },
            }}
          />
        )}
      </ChartFrame>
      {chart.unpricedBuckets > 0 && (
        <p className="text-xs text-gray-600">
          Gaps in the bars where tokens were used are unpriced calls (no known price for the model), not $0.
        </p>
      )}
    </div>
  );
}
