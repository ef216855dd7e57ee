import { Suspense } from "react";
import { ClientsTable } from "@/components/dashboard/clients-table";
import { Prefetch } from "@/components/dashboard/prefetch";
import { RangeToolbar } from "@/components/dashboard/range-toolbar";
import { WidgetErrorBoundary } from "@/components/ui/error-boundary";
import { Skeleton } from "@/components/ui/skeleton";
import { TIMEFRAMES } from "@/lib/metrics/range";
import { csvHref } from "@/lib/web/metrics-queries";
import { DEFAULT_TIMEFRAME, rangeApiParams, rangeLabel } from "@/lib/web/range";
import { parseDashboardSearch, type SearchParams } from "@/lib/web/search-params";
import { allClientsServerQuery } from "@/lib/web/server-queries";
import { CsvLink } from "@/components/ui/csv-link";
import { redirect } from "next/navigation";
import { currentViewer, requirePageViewer } from "@/lib/accounts/page-guard";
import { WARNING } from "@/components/ui/message";

/** Home: the operator overview of every client, from /api/v1/metrics/all. */
export default async function HomePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  // searchParams makes this page render per request, so `next build` never opens the database.
  // The guard is the all-clients API's own access (operator), so the prefetch may read it directly.
  // "/" is where everyone lands: a client user goes on to their page, with no notice.
  if ((await currentViewer())?.role === "client") redirect("/me");
  await requirePageViewer("operator");
  const { range, refresh, rangeProblem } = parseDashboardSearch(await searchParams);
  const query = allClientsServerQuery(range);
  return (
    <section aria-labelledby="clients-heading" className="space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 id="clients-heading" className="text-2xl font-semibold">
          Clients
        </h1>
        <p className="flex items-center gap-3 text-sm text-gray-600">
          {rangeLabel(range)} (UTC) <CsvLink href={csvHref("all", rangeApiParams(range))} label="all clients" />
        </p>
      </div>
      <Suspense fallback={<Skeleton label="range controls" className="h-9" />}>
        <RangeToolbar timeframes={TIMEFRAMES} defaultTimeframe={DEFAULT_TIMEFRAME} />
      </Suspense>
      {rangeProblem && (
        <p role="alert" className={WARNING}>
          The range in the address was not used: {rangeProblem}
        </p>
      )}
      <WidgetErrorBoundary label="Clients" resetKey={JSON.stringify(query.queryKey)}>
        <Suspense fallback={<Skeleton label="clients" className="h-40" />}>
          <Prefetch queries={[query]}>
            <ClientsTable range={range} refresh={refresh} />
          </Prefetch>
        </Suspense>
      </WidgetErrorBoundary>
    </section>
  );
}
