"use client";

import Link from "next/link";
import { useSuspenseQuery } from "@tanstack/react-query";
import { EmptyState } from "@/components/ui/empty-state";
import { TEXT_LINK } from "@/components/ui/link";
import { CELL_COMPACT, STACKED, TABLE, TBODY, THEAD, TableScroll, stackedCell } from "@/components/ui/table";
import { formatDateTime } from "@/components/format/format";
import type { ApiParams } from "@/lib/web/fetch-json";
import { AlertStateBadge, SeverityBadge } from "./alert-badges";
import { formatFigure, kindLabel } from "./alert-format";
import { ALERTS_REFRESH_MS, alertsListQuery, type AlertView } from "./alerts-api";

/** The zone an alert's times are shown in: its client's where known. */
export type ZoneOf = (alert: Pick<AlertView, "clientId">) => string;

const COLUMNS = ["State", "Severity", "Alert", "Client", "Value", "Since", "Runs"] as const;

const cell = (column: (typeof COLUMNS)[number], extra = "") => stackedCell(column, extra);

/** When the alert's current state began, in words: "firing since", "pending since", "ended". */
export function AlertSince({ alert, timeZone }: { alert: AlertView; timeZone: string }) {
  const at = (iso: string) => <time dateTime={iso}>{formatDateTime(iso, timeZone)}</time>;
  if (alert.state === "firing") return <>firing since {at(alert.firedAt ?? alert.startedAt)}</>;
  if (alert.state === "pending") return <>pending since {at(alert.startedAt)}</>;
  return (
    <>
      {alert.endedAt ? <>ended {at(alert.endedAt)}</> : "ended"}
      <span className="block text-xs text-gray-600">started {at(alert.startedAt)}</span>
    </>
  );
}

/** "23.5% (threshold 10%)". */
export function AlertFigure({ alert }: { alert: Pick<AlertView, "kind" | "value" | "threshold"> }) {
  const f = formatFigure(alert.kind, alert.value, alert.threshold);
  return (
    <>
      <span className="font-medium">{f.value}</span>
      {f.threshold !== null && <span className="block text-xs text-gray-600">threshold {f.threshold}</span>}
    </>
  );
}

function AlertRow({ alert, zoneOf }: { alert: AlertView; zoneOf: ZoneOf }) {
  const timeZone = zoneOf(alert);
  return (
    <tr className={`align-top ${STACKED.row}`} data-testid="alert-row" data-alert-id={alert.id}>
      <td {...cell("State")}>
        <span className="flex flex-col items-end gap-1 sm:items-start">
          <AlertStateBadge state={alert.state} />
          {alert.acknowledgedAt && <span className="text-xs text-gray-600">acknowledged</span>}
        </span>
      </td>
      <td {...cell("Severity")}>
        <SeverityBadge severity={alert.severity} />
      </td>
      <td {...cell("Alert", "min-w-56")}>
        <span className="block">
          <Link href={`/alerts/${alert.id}`} className={`font-medium ${TEXT_LINK}`}>
            {alert.ruleName}
          </Link>
          <span className="ml-1 text-xs text-gray-600">({kindLabel(alert.kind)})</span>
          <span className="mt-0.5 block text-gray-700">{alert.summary}</span>
        </span>
      </td>
      <td {...cell("Client")}>
        <span className="block">
          <Link href={`/clients/${encodeURIComponent(alert.clientSlug)}`} className={TEXT_LINK}>
            {alert.clientName}
          </Link>
          {alert.workflowName && <span className="block text-xs text-gray-600">{alert.workflowName}</span>}
        </span>
      </td>
      <td {...cell("Value", "tabular-nums sm:whitespace-nowrap")}>
        <span className="block">
          <AlertFigure alert={alert} />
        </span>
      </td>
      <td {...cell("Since", "tabular-nums")}>
        <span className="block">
          <AlertSince alert={alert} timeZone={timeZone} />
        </span>
      </td>
      <td {...cell("Runs", "sm:whitespace-nowrap")}>
        {alert.link ? (
          <Link href={alert.link} className={TEXT_LINK}>
            View runs<span className="sr-only"> behind {alert.ruleName}</span>
          </Link>
        ) : (
          <span className="text-gray-600">—</span>
        )}
      </td>
    </tr>
  );
}

/**
 * The alerts the viewer may see, firing first, then pending, then ended ones (the API's
 * order), refreshed every minute. Times in each alert's client's zone, which it names.
 */
export function AlertsList({
  params,
  zones,
  emptyText,
}: {
  params: ApiParams;
  zones: Record<number, string>;
  emptyText: { title: string; body: string };
}) {
  const { data } = useSuspenseQuery({ ...alertsListQuery(params), refetchInterval: ALERTS_REFRESH_MS });
  if (data.alerts.length === 0) return <EmptyState title={emptyText.title}>{emptyText.body}</EmptyState>;
  const zoneOf: ZoneOf = (a) => zones[a.clientId] ?? "UTC";
  return (
    <TableScroll boxed label="Alerts table, scrolls sideways on small screens">
      <table className={`${TABLE} ${STACKED.table}`} data-testid="alerts-table">
        <caption className="sr-only">
          Alerts with their state, severity, rule and summary, client and workflow, value against the threshold, since
          when, and a link to the runs behind each
        </caption>
        <thead className={`${THEAD} ${STACKED.thead}`}>
          <tr>
            {COLUMNS.map((c) => (
              <th key={c} scope="col" className={`${CELL_COMPACT} font-medium`}>
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className={`${TBODY} ${STACKED.tbody}`}>
          {data.alerts.map((a) => (
            <AlertRow key={a.id} alert={a} zoneOf={zoneOf} />
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
