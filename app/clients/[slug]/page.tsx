import type { Metadata } from "next";
import { Suspense } from "react";
import { SeededQuery } from "@/components/admin/accounts/seeded-query";
import { alertsListQuery, firingParams } from "@/components/alerts/alerts-api";
import { FiringAlerts } from "@/components/alerts/firing-alerts";
import { WidgetErrorBoundary } from "@/components/ui/error-boundary";
import { CoverageNotice } from "@/components/dashboard/coverage-notice";
import { OverviewCards } from "@/components/dashboard/overview-cards";
import { OverviewTrend } from "@/components/dashboard/overview-trend";
import { RecentActivity } from "@/components/dashboard/recent-activity";
import { loadTab, type TabProps } from "@/components/dashboard/tab-context";
import { TabPage } from "@/components/dashboard/tab-page";
import { Widget } from "@/components/dashboard/widget";
import { CardsSkeleton } from "@/components/ui/skeleton";
import { OPERATORS_ONLY } from "@/lib/accounts/page-guard";
import { AlertListQuery, listAlerts } from "@/lib/alerts/queries";
import { parseInput } from "@/lib/core/validation";
import { getDb } from "@/lib/db/database";
import { clientCsvHref, csvHref, RECENT_ACTIVITY_LIMIT } from "@/lib/web/metrics-queries";
import {
  coverageServerQuery,
  overviewServerQuery,
  recentActivityServerQuery,
  seriesServerQuery,
} from "@/lib/web/server-queries";

export const metadata: Metadata = { title: "Overview" };

/**
 * The client's firing alerts, loaded with the page and kept fresh by the panel, which
 * shows nothing while none fires. The layout's client lookup was the guard (viewer,
 * scoped to this client), so the list is read for this client only.
 */
async function FiringAlertsSlot({ clientId, timeZone }: { clientId: number; timeZone: string }) {
  const params = firingParams(clientId);
  const query = parseInput(AlertListQuery, { state: "firing", clientId: String(clientId) }, "query");
  const alerts = await listAlerts(await getDb(), query, clientId);
  return (
    <SeededQuery queryKey={alertsListQuery(params).queryKey} data={{ alerts }}>
      <FiringAlerts clientId={clientId} timeZone={timeZone} />
    </SeededQuery>
  );
}

/** Overview tab: summary cards, the trend, and the latest executions. */
export default async function OverviewPage(props: TabProps) {
  const { q, refresh, range, rangeProblem, client } = await loadTab(props);
  const sentAway = (await props.searchParams).notice === OPERATORS_ONLY;
  return (
    <TabPage title="Overview" range={range} rangeProblem={rangeProblem} timeZone={q.timeZone}>
      {sentAway && (
        <p role="status" className="rounded border border-indigo-200 bg-indigo-50 px-3 py-2 text-sm text-indigo-900">
          The page you asked for is for operators. This is {client.name}&apos;s dashboard, which your account can see.
        </p>
      )}
      <WidgetErrorBoundary label="Firing alerts" resetKey={`firing-${client.id}`}>
        <Suspense fallback={null}>
          <FiringAlertsSlot clientId={client.id} timeZone={q.timeZone} />
        </Suspense>
      </WidgetErrorBoundary>
      <Widget
        id="summary"
        title="Summary"
        queries={[overviewServerQuery(q), coverageServerQuery(q)]}
        skeleton={<CardsSkeleton label="summary" />}
      >
        <OverviewCards q={q} slug={client.slug} refresh={refresh} />
        <CoverageNotice q={q} refresh={refresh} />
      </Widget>
      <div className="grid gap-4 lg:grid-cols-3 lg:items-start">
        <Widget
          id="trend"
          title="Trend"
          className="lg:col-span-2"
          queries={[seriesServerQuery(q)]}
          csv={clientCsvHref("series", q)}
        >
          <OverviewTrend q={q} refresh={refresh} />
        </Widget>
        <Widget
          id="recent-activity"
          title="Recent activity"
          queries={[recentActivityServerQuery(q.clientId, RECENT_ACTIVITY_LIMIT)]}
          csv={csvHref("recent-activity", { clientId: q.clientId, limit: RECENT_ACTIVITY_LIMIT })}
        >
          <RecentActivity q={q} slug={client.slug} refresh={refresh} />
        </Widget>
      </div>
    </TabPage>
  );
}
