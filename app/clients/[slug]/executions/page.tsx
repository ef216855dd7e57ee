import type { Metadata } from "next";
import { ExecutionTimeline } from "@/components/dashboard/execution-timeline";
import { PerformancePanel } from "@/components/dashboard/performance-panel";
import { QueueStatus } from "@/components/dashboard/queue-status";
import { loadTab, type TabProps } from "@/components/dashboard/tab-context";
import { TabPage } from "@/components/dashboard/tab-page";
import { Widget } from "@/components/dashboard/widget";
import { CardsSkeleton, Skeleton } from "@/components/ui/skeleton";
import { clientCsvHref } from "@/lib/web/metrics-queries";
import { performanceServerQuery, realtimeServerQuery, seriesServerQuery } from "@/lib/web/server-queries";

export const metadata: Metadata = { title: "Executions" };

/** Executions tab: the queue now, the timeline, and where executions fail. */
export default async function ExecutionsPage(props: TabProps) {
  const { q, refresh, range, rangeProblem, client } = await loadTab(props);
  return (
    <TabPage title="Executions" range={range} rangeProblem={rangeProblem} timeZone={q.timeZone}>
      <Widget
        id="queue"
        title="Queue and running now"
        queries={[realtimeServerQuery(q)]}
        skeleton={<CardsSkeleton label="queue" />}
      >
        <QueueStatus q={q} refresh={refresh} />
      </Widget>
      <Widget
        id="timeline"
        title="Timeline"
        queries={[seriesServerQuery(q)]}
        csv={clientCsvHref("series", q)}
        skeleton={<Skeleton label="timeline" className="h-72" />}
      >
        <ExecutionTimeline q={q} refresh={refresh} />
      </Widget>
      <Widget
        id="performance"
        title="Success and failures"
        queries={[performanceServerQuery(q)]}
        csv={clientCsvHref("execution/performance", q)}
      >
        <PerformancePanel q={q} slug={client.slug} refresh={refresh} />
      </Widget>
    </TabPage>
  );
}
