import type { Metadata } from "next";
import { loadTab, type TabProps } from "@/components/dashboard/tab-context";
import { TabPage } from "@/components/dashboard/tab-page";
import { Widget } from "@/components/dashboard/widget";
import { WorkflowsTable } from "@/components/dashboard/workflows-table";
import { Skeleton } from "@/components/ui/skeleton";
import { clientCsvHref } from "@/lib/web/metrics-queries";
import { workflowsServerQuery } from "@/lib/web/server-queries";

export const metadata: Metadata = { title: "Workflows" };

/** Workflows tab: one sortable performance table. */
export default async function WorkflowsPage(props: TabProps) {
  const { q, refresh, range, rangeProblem, client } = await loadTab(props);
  return (
    <TabPage title="Workflows" range={range} rangeProblem={rangeProblem} timeZone={q.timeZone}>
      <Widget
        id="workflows"
        title="Performance by workflow"
        queries={[workflowsServerQuery(q)]}
        csv={clientCsvHref("workflows", q)}
        skeleton={<Skeleton label="workflows" className="h-96" />}
      >
        <WorkflowsTable q={q} slug={client.slug} refresh={refresh} />
      </Widget>
    </TabPage>
  );
}
