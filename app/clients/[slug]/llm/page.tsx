import type { Metadata } from "next";
import { LlmCostChart } from "@/components/dashboard/llm-cost-chart";
import { LlmModelsTable } from "@/components/dashboard/llm-models-table";
import { LlmTotals } from "@/components/dashboard/llm-totals";
import { LlmWorkflowsTable } from "@/components/dashboard/llm-workflows-table";
import { loadTab, type TabProps } from "@/components/dashboard/tab-context";
import { TabPage } from "@/components/dashboard/tab-page";
import { Widget } from "@/components/dashboard/widget";
import { CardsSkeleton, Skeleton } from "@/components/ui/skeleton";
import { llmUsageCsvHref } from "@/lib/web/metrics-queries";
import { llmUsageServerQuery, type ServerQuery } from "@/lib/web/server-queries";

export const metadata: Metadata = { title: "LLM usage" };

/**
 * One prefetch shared by the widgets of a request: they all read the same answer (same
 * key), so the first to ask loads it and the others wait on the same promise instead
 * of each reading the database again.
 */
function shareOnce(query: ServerQuery): ServerQuery {
  const { queryFn } = query;
  let answer: ReturnType<typeof queryFn> | undefined;
  return { queryKey: query.queryKey, queryFn: () => (answer ??= queryFn()) };
}

/**
 * LLM usage tab: totals, cost over time, and usage by workflow and by model. Each
 * widget has its own skeleton and error boundary, so a failure shows in place.
 */
export default async function LlmUsagePage(props: TabProps) {
  const { q, refresh, range, rangeProblem } = await loadTab(props);
  const queries = [shareOnce(llmUsageServerQuery(q))];
  return (
    <TabPage title="LLM usage" range={range} rangeProblem={rangeProblem} timeZone={q.timeZone}>
      <Widget id="llm-totals" title="Totals" queries={queries} skeleton={<CardsSkeleton label="LLM totals" />}>
        <LlmTotals q={q} refresh={refresh} />
      </Widget>
      <Widget
        id="llm-cost"
        title="Cost over time"
        queries={queries}
        csv={llmUsageCsvHref(q, "cost")}
        skeleton={<Skeleton label="cost over time" className="h-72" />}
      >
        <LlmCostChart q={q} refresh={refresh} />
      </Widget>
      <Widget
        id="llm-workflows"
        title="Usage by workflow"
        queries={queries}
        csv={llmUsageCsvHref(q, "workflow")}
        skeleton={<Skeleton label="usage by workflow" className="h-64" />}
      >
        <LlmWorkflowsTable q={q} refresh={refresh} />
      </Widget>
      <Widget
        id="llm-models"
        title="Usage by model"
        queries={queries}
        csv={llmUsageCsvHref(q, "model")}
        skeleton={<Skeleton label="usage by model" className="h-48" />}
      >
        <LlmModelsTable q={q} refresh={refresh} />
      </Widget>
    </TabPage>
  );
}
