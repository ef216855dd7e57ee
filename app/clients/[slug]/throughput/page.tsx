import type { Metadata } from "next";
import { loadTab, type TabProps } from "@/components/dashboard/tab-context";
import { TabPage } from "@/components/dashboard/tab-page";
import { ThroughputPanel } from "@/components/dashboard/throughput-panel";
import { Widget } from "@/components/dashboard/widget";
import { Skeleton } from "@/components/ui/skeleton";
import { clientCsvHref } from "@/lib/web/metrics-queries";
import { throughputServerQuery } from "@/lib/web/server-queries";

export const metadata: Metadata = { title: "Throughput" };

/** Throughput tab: rates, the busiest bucket, and use of the concurrency limit. */
export default async function ThroughputPage(props: TabProps) {
  const { q, refresh, range, rangeProblem } = await loadTab(props);
  return (
    <TabPage title="Throughput" range={range} rangeProblem={rangeProblem} timeZone={q.timeZone}>
      <Widget
        id="throughput"
        title="Executions and capacity"
        queries={[throughputServerQuery(q)]}
        csv={clientCsvHref("execution/throughput", q)}
        skeleton={<Skeleton label="throughput" className="h-96" />}
      >
        <ThroughputPanel q={q} refresh={refresh} />
      </Widget>
    </TabPage>
  );
}
