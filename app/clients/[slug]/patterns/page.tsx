import type { Metadata } from "next";
import { PatternsPanel } from "@/components/dashboard/patterns-panel";
import { loadTab, type TabProps } from "@/components/dashboard/tab-context";
import { TabPage } from "@/components/dashboard/tab-page";
import { Widget } from "@/components/dashboard/widget";
import { Skeleton } from "@/components/ui/skeleton";
import { clientCsvHref } from "@/lib/web/metrics-queries";
import { patternsServerQuery } from "@/lib/web/server-queries";

export const metadata: Metadata = { title: "Patterns" };

/** Patterns tab: bursts and anomalies against a robust baseline, each explained. */
export default async function PatternsPage(props: TabProps) {
  const { q, refresh, range, rangeProblem, client } = await loadTab(props);
  return (
    <TabPage title="Patterns" range={range} rangeProblem={rangeProblem} timeZone={q.timeZone}>
      <Widget
        id="patterns"
        title="Bursts and anomalies"
        queries={[patternsServerQuery(q)]}
        csv={clientCsvHref("execution/patterns", q)}
        skeleton={<Skeleton label="patterns" className="h-96" />}
      >
        <PatternsPanel q={q} slug={client.slug} refresh={refresh} />
      </Widget>
    </TabPage>
  );
}
