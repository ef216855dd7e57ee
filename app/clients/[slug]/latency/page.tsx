import type { Metadata } from "next";
import { LatencyPanel } from "@/components/dashboard/latency-panel";
import { LatencyTrend } from "@/components/dashboard/latency-trend";
import { loadTab, type TabProps } from "@/components/dashboard/tab-context";
import { TabPage } from "@/components/dashboard/tab-page";
import { Widget } from "@/components/dashboard/widget";
import { Skeleton } from "@/components/ui/skeleton";
import { clientCsvHref } from "@/lib/web/metrics-queries";
import { latencyServerQuery, seriesServerQuery } from "@/lib/web/server-queries";

export const metadata: Metadata = { title: "Latency" };

/** Latency tab: percentiles, the duration distribution, the slowest workflows, and percentiles over time. */
export default async function LatencyPage(props: TabProps) {
  const { q, refresh, range, rangeProblem } = await loadTab(props);
  return (
    <TabPage title="Latency" range={range} rangeProblem={rangeProblem} timeZone={q.timeZone}>
      <Widget
        id="latency"
        title="Execution durations"
        queries={[latencyServerQuery(q)]}
        csv={clientCsvHref("execution/latency", q)}
        skeleton={<Skeleton label="latency" className="h-96" />}
      >
        <LatencyPanel q={q} refresh={refresh} />
      </Widget>
      <Widget
        id="latency-trend"
        title="Latency over time"
        queries={[seriesServerQuery(q)]}
        csv={clientCsvHref("series", q)}
        skeleton={<Skeleton label="latency over time" className="h-72" />}
      >
        <LatencyTrend q={q} refresh={refresh} />
      </Widget>
    </TabPage>
  );
}
