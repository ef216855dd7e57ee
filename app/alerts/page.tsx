import type { Metadata } from "next";
import { Suspense } from "react";
import { SeededQuery } from "@/components/admin/accounts/seeded-query";
import { AlertFiltersForm } from "@/components/alerts/alert-filters";
import { AlertsList } from "@/components/alerts/alerts-list";
import {
  ALERT_VIEWS,
  alertHistoryCsvHref,
  alertListParams,
  alertsListQuery,
  type AlertFilters,
  type AlertViewName,
} from "@/components/alerts/alerts-api";
import { CsvLink } from "@/components/ui/csv-link";
import { WidgetErrorBoundary } from "@/components/ui/error-boundary";
import { Skeleton } from "@/components/ui/skeleton";
import { requirePageViewer } from "@/lib/accounts/page-guard";
import { listClientChoices } from "@/lib/accounts/users";
import { AlertListQuery, listAlerts } from "@/lib/alerts/queries";
import { ALERT_SEVERITIES, type AlertSeverity } from "@/lib/core/vocabulary";
import { parseInput } from "@/lib/core/validation";
import { getDb } from "@/lib/db/database";
import { clientZones } from "./client-zones";

export const metadata: Metadata = { title: "Alerts" };

type SearchParams = Record<string, string | string[] | undefined>;

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** The filters in the URL; anything unknown falls back to the default (open alerts, every client). */
function filtersOf(search: SearchParams): AlertFilters {
  const view = one(search.view);
  const clientId = Number(one(search.clientId));
  const severity = one(search.severity);
  return {
    view: view && view in ALERT_VIEWS ? (view as AlertViewName) : "open",
    clientId: Number.isInteger(clientId) && clientId > 0 ? clientId : undefined,
    severity: (ALERT_SEVERITIES as readonly string[]).includes(severity ?? "")
      ? (severity as AlertSeverity)
      : undefined,
  };
}

const asQueryString = (params: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(params).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])));

/**
 * Every alert the viewer may see (a client user: their client's, read-only), open ones by
 * default, with the history of every state a filter away. The first paint comes with the
 * list; the table then refreshes it every minute through the API.
 */
export default async function AlertsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const viewer = await requirePageViewer("viewer");
  const filters = filtersOf(await searchParams);
  const params = alertListParams(filters);
  const db = await getDb();
  // Parsed as the route parses it, so the seeded answer is the one the browser would get.
  const query = parseInput(AlertListQuery, asQueryString(params), "query");
  const [alerts, clients] = await Promise.all([
    listAlerts(db, query, viewer.clientId),
    viewer.clientId === null ? listClientChoices(db) : Promise.resolve(null),
  ]);
  const zones = await clientZones(db, [
    ...alerts.map((a) => a.clientId),
    ...(viewer.clientId ? [viewer.clientId] : []),
  ]);
  const open = filters.view !== "history";
  return (
    <section aria-labelledby="alerts-heading" className="space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 id="alerts-heading" className="text-2xl font-semibold">
          Alerts
        </h1>
        <p className="flex items-center gap-3 text-sm text-gray-600">
          Times in each client&apos;s zone
          <CsvLink href={alertHistoryCsvHref(params)} label="the history of these alerts" />
        </p>
      </div>
      <p className="max-w-3xl text-sm text-gray-700">
        {viewer.role === "client"
          ? "Alerts on your workflows: what is failing or slow, since when, and the runs behind it."
          : "Rules are evaluated after every sync and every minute. Open an alert for its history, its notifications, and to acknowledge or silence it."}
      </p>
      <AlertFiltersForm filters={filters} clients={clients} />
      <WidgetErrorBoundary label="Alerts" resetKey={JSON.stringify(params)}>
        <Suspense fallback={<Skeleton label="alerts" className="h-40" />}>
          <SeededQuery queryKey={alertsListQuery(params).queryKey} data={{ alerts }}>
            <AlertsList
              params={params}
              zones={zones}
              emptyText={
                open
                  ? { title: "No open alerts", body: "Nothing is firing or pending for these filters." }
                  : { title: "No alerts yet", body: "No rule has held its condition for these filters." }
              }
            />
          </SeededQuery>
        </Suspense>
      </WidgetErrorBoundary>
    </section>
  );
}
