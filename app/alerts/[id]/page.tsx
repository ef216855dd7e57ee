import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { SeededQuery } from "@/components/admin/accounts/seeded-query";
import { AlertDetail } from "@/components/alerts/alert-detail";
import { alertQuery, silencesQuery } from "@/components/alerts/alerts-api";
import { WidgetErrorBoundary } from "@/components/ui/error-boundary";
import { canAccess } from "@/lib/accounts/access";
import { requirePageViewer } from "@/lib/accounts/page-guard";
import { listDeliveries } from "@/lib/alerts/delivery/deliveries";
import { getAlert } from "@/lib/alerts/queries";
import { listSilences } from "@/lib/alerts/silences";
import { AppError } from "@/lib/core/errors";
import { getDb } from "@/lib/db/database";
import { clientZones } from "../client-zones";

export const metadata: Metadata = { title: "Alert" };

/** As the API answers: Dates become ISO strings, so the seeded cache holds what the browser would fetch. */
const asJson = <T,>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/**
 * One alert. A client user sees their own client's only (another's is "not found", like
 * one that does not exist) and read-only; operators also see its notifications and may
 * acknowledge and silence it.
 */
export default async function AlertPage({ params }: { params: Promise<{ id: string }> }) {
  const viewer = await requirePageViewer("viewer");
  const id = Number((await params).id);
  if (!Number.isInteger(id) || id <= 0 || id > 2_147_483_647) notFound();
  const db = await getDb();
  const alert = await getAlert(db, id, viewer.clientId).catch((err: unknown) => {
    if (err instanceof AppError && err.code === "not_found") notFound();
    throw err;
  });
  const operator = canAccess(viewer, "operator");
  const [deliveries, silences, zones] = await Promise.all([
    operator ? listDeliveries(db, { alertId: id }) : Promise.resolve(null),
    operator ? listSilences(db) : Promise.resolve(null),
    clientZones(db, [alert.alert.clientId]),
  ]);
  const detail = (
    <AlertDetail
      id={id}
      timeZone={zones[alert.alert.clientId] ?? "UTC"}
      canAct={operator}
      isAdmin={canAccess(viewer, "admin")}
    />
  );
  return (
    <WidgetErrorBoundary label="Alert" resetKey={String(id)}>
      <SeededQuery queryKey={alertQuery(id).queryKey} data={asJson({ ...alert, deliveries })}>
        {silences ? (
          <SeededQuery queryKey={silencesQuery().queryKey} data={asJson(silences)}>
            {detail}
          </SeededQuery>
        ) : (
          detail
        )}
      </SeededQuery>
    </WidgetErrorBoundary>
  );
}
