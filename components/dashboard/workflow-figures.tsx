"use client";

import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import { TEXT_LINK } from "@/components/ui/link";
import { Stat, StatGrid } from "@/components/ui/stat";
import { formatCount, formatMinutes, formatMs, formatPercent } from "@/components/format/format";
import { formatUsd } from "@/components/format/money";
import { FAILED_RUNS, runsHref } from "@/lib/web/explorer-search";
import { workflowsQuery } from "@/lib/web/metrics-queries";
import type { DashboardQuery } from "@/lib/web/range";
import { useDashboardQuery } from "@/lib/web/use-dashboard-query";
import { Delta } from "./delta";

/**
 * One workflow's production figures over the range: its row of the workflows table (the
 * same answer, so the two never disagree), with the failures a link to their runs.
 */
export function WorkflowFigures({
  q,
  slug,
  workflowId,
  refresh,
}: {
  q: DashboardQuery;
  slug: string;
  workflowId: number;
  refresh: boolean;
}) {
  const { data } = useDashboardQuery(workflowsQuery(q), refresh);
  const w = data.workflows.find((row) => row.workflowId === workflowId);
  if (!w || w.executions === 0) {
    return (
      <EmptyState title="No production runs in this range">
        Try a longer timeframe; runs excluded from the metrics are listed under Runs.
      </EmptyState>
    );
  }
  const failedRuns = runsHref(slug, q.range, { ...FAILED_RUNS, workflowId: String(workflowId) });
  return (
    <StatGrid label={`${w.name} in this range`}>
      <Stat id="executions" label="Production runs" value={formatCount(w.executions)}>
        <Delta comparison={w.comparison.executions} unit="count" metric="executions" />
      </Stat>
      <Stat id="success-rate" label="Success rate" value={formatPercent(w.successRate)}>
        <Delta comparison={w.comparison.successRate} unit="percent" metric="success_rate" />
      </Stat>
      <Stat
        id="failures"
        label="Failures"
        value={
          w.failures > 0 ? (
            <Link href={failedRuns} className={TEXT_LINK} aria-label={`${formatCount(w.failures)} failed runs`}>
              {formatCount(w.failures)}
            </Link>
          ) : (
            "0"
          )
        }
      />
      <Stat id="avg-duration" label="Average duration" value={formatMs(w.avgDurationMs)} />
      <Stat id="p95-duration" label="p95 duration" value={formatMs(w.p95DurationMs)} />
      <Stat id="time-saved" label="Time saved" value={formatMinutes(w.timeSavedMinutes)} />
      <Stat id="llm-calls" label="LLM calls" value={formatCount(w.llmCalls)} />
      <Stat id="llm-cost" label="LLM cost" value={formatUsd(w.costUsd)} />
    </StatGrid>
  );
}
