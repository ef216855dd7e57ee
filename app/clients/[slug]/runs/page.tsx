import type { Metadata } from "next";
import { loadTab, type TabProps } from "@/components/dashboard/tab-context";
import { TabPage } from "@/components/dashboard/tab-page";
import { Widget } from "@/components/dashboard/widget";
import { RunsFilters, RunsTable } from "@/components/dashboard/runs-explorer";
import { TopErrors } from "@/components/dashboard/top-errors";
import { Skeleton } from "@/components/ui/skeleton";
import { getDb } from "@/lib/db/database";
import { workflowNames } from "@/lib/metrics/execution/context";
import { explorerApiParams, parseExplorerSearch } from "@/lib/web/explorer-search";
import { clientCsvHref, TOP_ERRORS_LIMIT } from "@/lib/web/metrics-queries";
import { rangeSearch, SEARCH } from "@/lib/web/range";
import { explorerServerQuery, topErrorsServerQuery } from "@/lib/web/server-queries";
import { WARNING } from "@/components/ui/message";

export const metadata: Metadata = { title: "Runs" };

/**
 * Runs tab, the executions explorer: the top errors of the range, then every stored
 * execution in it, newest first, filtered by what the URL says, each with its error and
 * a link into n8n.
 */
export default async function RunsPage(props: TabProps) {
  const { q, refresh, range, rangeProblem, client } = await loadTab(props);
  const { filters, filterProblem } = parseExplorerSearch(await props.searchParams, client.id);
  // After loadTab's guard (viewer, scoped to this client).
  const names = await workflowNames(await getDb(), client.id);
  const workflows = [...names].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
  return (
    <TabPage title="Runs" range={range} rangeProblem={rangeProblem} timeZone={q.timeZone}>
      <RunsFilters
        filters={filters}
        workflows={workflows}
        keep={{ ...rangeSearch(range), ...(refresh ? { [SEARCH.refresh]: "on" } : {}) }}
      />
      {filterProblem && (
        <p role="alert" className={WARNING}>
          The filters in the address were not used: {filterProblem}. Showing every execution in the range.
        </p>
      )}
      <Widget
        id="top-errors"
        title="Top errors"
        queries={[topErrorsServerQuery(q)]}
        csv={clientCsvHref("errors", q, { limit: TOP_ERRORS_LIMIT })}
        skeleton={<Skeleton label="top errors" className="h-40" />}
      >
        <TopErrors q={q} slug={client.slug} refresh={refresh} />
      </Widget>
      <Widget
        id="runs"
        title="Executions, newest first"
        queries={[explorerServerQuery(q, filters)]}
        csv={clientCsvHref("executions", q, explorerApiParams(filters))}
        skeleton={<Skeleton label="executions" className="h-96" />}
      >
        <RunsTable q={q} filters={filters} refresh={refresh} />
      </Widget>
    </TabPage>
  );
}
