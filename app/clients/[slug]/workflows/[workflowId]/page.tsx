import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { LatencyTrend } from "@/components/dashboard/latency-trend";
import { OverviewTrend } from "@/components/dashboard/overview-trend";
import { loadTab } from "@/components/dashboard/tab-context";
import { TabPage } from "@/components/dashboard/tab-page";
import { TopErrors } from "@/components/dashboard/top-errors";
import { Widget } from "@/components/dashboard/widget";
import { WorkflowFigures } from "@/components/dashboard/workflow-figures";
import { WorkflowProfileCard } from "@/components/dashboard/workflow-profile-card";
import { Skeleton } from "@/components/ui/skeleton";
import { TEXT_LINK } from "@/components/ui/link";
import { idFromPath, nullIfNotFound } from "@/lib/api/ids";
import { getDb } from "@/lib/db/database";
import { getWorkflowProfile } from "@/lib/metrics/workflow-profile";
import { runsHref } from "@/lib/web/explorer-search";
import { clientCsvHref, TOP_ERRORS_LIMIT } from "@/lib/web/metrics-queries";
import { rangeSearch } from "@/lib/web/range";
import { seriesServerQuery, topErrorsServerQuery, workflowsServerQuery } from "@/lib/web/server-queries";
import type { SearchParams } from "@/lib/web/search-params";

export const metadata: Metadata = { title: "Workflow" };

interface WorkflowPageProps {
  params: Promise<{ slug: string; workflowId: string }>;
  searchParams: Promise<SearchParams>;
}

/**
 * One workflow's drill-down: what it is and whether it counts (and why), its figures over
 * the range, runs and failures and latency percentiles over time, its top errors, and the
 * way to its runs here and to the workflow in n8n.
 */
export default async function WorkflowPage(props: WorkflowPageProps) {
  const { q, refresh, range, rangeProblem, client } = await loadTab(props);
  const workflowId = idFromPath((await props.params).workflowId);
  // After loadTab's guard (viewer, scoped to this client); another client's workflow is a 404.
  const profile =
    workflowId === null
      ? null
      : await nullIfNotFound(async () => getWorkflowProfile(await getDb(), client.id, workflowId));
  if (!profile) notFound();
  const id = profile.workflowId;
  const workflowsTab = `/clients/${encodeURIComponent(client.slug)}/workflows?${new URLSearchParams(rangeSearch(range))}`;
  return (
    <TabPage title={profile.name} range={range} rangeProblem={rangeProblem} timeZone={q.timeZone}>
      <nav aria-label="Breadcrumb" className="flex flex-wrap gap-x-4 text-sm">
        <Link href={workflowsTab} className={TEXT_LINK}>
          ← All workflows
        </Link>
        <Link href={runsHref(client.slug, range, { workflowId: String(id) })} className={TEXT_LINK}>
          Every run of this workflow
        </Link>
      </nav>
      <WorkflowProfileCard profile={profile} />
      <Widget
        id="workflow-figures"
        title="In this range"
        queries={[workflowsServerQuery(q)]}
        skeleton={<Skeleton label="figures" className="h-40" />}
      >
        <WorkflowFigures q={q} slug={client.slug} workflowId={id} refresh={refresh} />
      </Widget>
      <div className="grid gap-4 xl:grid-cols-2">
        <Widget
          id="workflow-trend"
          title="Runs and failures over time"
          queries={[seriesServerQuery(q, id)]}
          csv={clientCsvHref("series", q, { workflowId: id })}
          skeleton={<Skeleton label="trend" className="h-72" />}
        >
          <OverviewTrend q={q} refresh={refresh} workflowId={id} />
        </Widget>
        <Widget
          id="workflow-latency"
          title="Latency over time"
          queries={[seriesServerQuery(q, id)]}
          csv={clientCsvHref("series", q, { workflowId: id })}
          skeleton={<Skeleton label="latency over time" className="h-72" />}
        >
          <LatencyTrend q={q} refresh={refresh} workflowId={id} />
        </Widget>
      </div>
      <Widget
        id="workflow-errors"
        title="Top errors"
        queries={[topErrorsServerQuery(q, id)]}
        csv={clientCsvHref("errors", q, { workflowId: id, limit: TOP_ERRORS_LIMIT })}
        skeleton={<Skeleton label="top errors" className="h-40" />}
      >
        <TopErrors q={q} slug={client.slug} refresh={refresh} workflowId={id} />
      </Widget>
    </TabPage>
  );
}
