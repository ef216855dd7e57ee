"use client";

import { Stat, StatGrid } from "@/components/ui/stat";
import { formatUsd } from "@/components/format/money";
import { llmUsageQuery } from "@/lib/web/metrics-queries";
import type { DashboardQuery } from "@/lib/web/range";
import { useDashboardQuery } from "@/lib/web/use-dashboard-query";
import { formatCount, formatPercent } from "@/components/format/format";
import { LlmEmpty } from "./llm-table-parts";

/** Calls, tokens, cost and how much of the token count n8n estimated, for the range. */
export function LlmTotals({ q, refresh }: { q: DashboardQuery; refresh: boolean }) {
  const { data } = useDashboardQuery(llmUsageQuery(q), refresh);
  const t = data.totals;
  if (t.calls === 0) return <LlmEmpty />;
  return (
    <StatGrid label="LLM usage totals">
      <Stat id="llm-calls" label="LLM calls" value={formatCount(t.calls)} />
      <Stat id="llm-tokens" label="Total tokens" value={formatCount(t.totalTokens)}>
        {formatCount(t.promptTokens)} prompt · {formatCount(t.completionTokens)} completion
      </Stat>
      <Stat id="llm-cost" label="Cost" value={formatUsd(t.costUsd, "Unpriced")}>
        {t.unpricedCalls > 0
          ? `${formatCount(t.unpricedCalls)} of ${formatCount(t.calls)} calls unpriced, not included`
          : "every call priced"}
      </Stat>
      <Stat id="llm-estimated" label="Estimated tokens" value={formatPercent(t.estimatedTokenShare)}>
        of tokens counted by n8n’s estimate, not reported by the provider
      </Stat>
    </StatGrid>
  );
}
