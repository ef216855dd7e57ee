"use client";

import Link from "next/link";
import { useSuspenseQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { CARD } from "@/components/ui/card";
import { TEXT_LINK } from "@/components/ui/link";
import { formatDateTime } from "@/components/format/format";
import { AlertActions } from "./alert-actions";
import { AlertStateBadge, SeverityBadge } from "./alert-badges";
import { formatFigure, kindLabel } from "./alert-format";
import { AlertDeliveries, AlertEvents } from "./alert-history";
import { AlertSilences } from "./alert-silences";
import { ALERTS_REFRESH_MS, alertQuery } from "./alerts-api";

function Item({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium text-gray-600">{term}</dt>
      <dd className="mt-0.5 break-words text-sm">{children}</dd>
    </div>
  );
}

/** The measurement's own details (window, counts, ids), as the evaluator stored them. */
function extraDetails(details: Record<string, unknown>): Array<[string, string]> {
  return Object.entries(details)
    .filter(([key, value]) => key !== "link" && value !== null && value !== undefined)
    .map(([key, value]) => [key, typeof value === "object" ? JSON.stringify(value) : String(value)]);
}

/**
 * One alert: what fired, since when and the runs behind it, its history, and for
 * operators the notifications with each attempt, acknowledge and silence.
 */
export function AlertDetail({
  id,
  timeZone,
  canAct,
  isAdmin,
}: {
  id: number;
  timeZone: string;
  canAct: boolean;
  isAdmin: boolean;
}) {
  const { data } = useSuspenseQuery({ ...alertQuery(id), refetchInterval: ALERTS_REFRESH_MS });
  const { alert, events, deliveries, details } = data;
  const figure = formatFigure(alert.kind, alert.value, alert.threshold);
  const at = (iso: string | null) => (iso ? <time dateTime={iso}>{formatDateTime(iso, timeZone)}</time> : "—");
  const extra = extraDetails(details);

  return (
    <article aria-labelledby="alert-heading" className="space-y-5" data-testid="alert-detail">
      <div className="space-y-2">
        <Link href="/alerts" className={`text-sm ${TEXT_LINK}`}>
          <span aria-hidden="true">← </span>All alerts
        </Link>
        <div className="flex flex-wrap items-center gap-2">
          <h1 id="alert-heading" className="text-2xl font-semibold">
            {alert.ruleName}
          </h1>
          <AlertStateBadge state={alert.state} />
          <SeverityBadge severity={alert.severity} />
        </div>
        <p className="text-gray-800">{alert.summary}</p>
        <p className="text-xs text-gray-600">Times in {timeZone}</p>
      </div>

      <dl className={`grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-4 ${CARD}`}>
        <Item term="Value">
          <span className="tabular-nums">{figure.value}</span>
          {figure.threshold !== null && <span className="text-gray-600"> (threshold {figure.threshold})</span>}
        </Item>
        <Item term="Rule">
          {isAdmin ? (
            <Link href={`/admin/alerts/rules/${alert.ruleId}`} className={TEXT_LINK}>
              {kindLabel(alert.kind)}
            </Link>
          ) : (
            kindLabel(alert.kind)
          )}
        </Item>
        <Item term="Client">
          <Link href={`/clients/${encodeURIComponent(alert.clientSlug)}`} className={TEXT_LINK}>
            {alert.clientName}
          </Link>
        </Item>
        <Item term="Workflow">{alert.workflowName ?? "All workflows"}</Item>
        <Item term="Started">{at(alert.startedAt)}</Item>
        <Item term="Fired">{at(alert.firedAt)}</Item>
        <Item term="Ended">{alert.endedAt ? at(alert.endedAt) : "still open"}</Item>
        <Item term="Last evaluated">{at(alert.lastEvaluatedAt)}</Item>
        <Item term="Last notified">{at(alert.lastNotifiedAt)}</Item>
        <Item term="Acknowledged">
          {alert.acknowledgedAt ? (
            <>
              {at(alert.acknowledgedAt)}
              {alert.acknowledgedBy && <span className="block text-xs text-gray-600">by {alert.acknowledgedBy}</span>}
            </>
          ) : (
            "no"
          )}
        </Item>
        <Item term="Labels">
          {Object.keys(alert.labels).length === 0
            ? "none"
            : Object.entries(alert.labels)
                .map(([k, v]) => `${k}=${v}`)
                .join(", ")}
        </Item>
        <Item term="Runs">
          {alert.link ? (
            <Link href={alert.link} className={TEXT_LINK}>
              View the runs behind it
            </Link>
          ) : (
            "—"
          )}
        </Item>
        {extra.map(([key, value]) => (
          <Item key={key} term={key}>
            <span className="font-mono text-xs">{value}</span>
          </Item>
        ))}
      </dl>

      {canAct && (
        <div className={`space-y-4 ${CARD}`}>
          <AlertActions alert={alert} timeZone={timeZone} />
          <section aria-labelledby="alert-silences-heading" className="space-y-2">
            <h2 id="alert-silences-heading" className="text-base font-semibold">
              Silences covering it
            </h2>
            <AlertSilences alert={alert} timeZone={timeZone} />
          </section>
        </div>
      )}

      <section aria-labelledby="alert-history-heading" className="space-y-2">
        <h2 id="alert-history-heading" className="text-lg font-semibold">
          History
        </h2>
        <AlertEvents events={events} kind={alert.kind} timeZone={timeZone} />
      </section>

      {deliveries && (
        <section aria-labelledby="alert-deliveries-heading" className="space-y-2">
          <h2 id="alert-deliveries-heading" className="text-lg font-semibold">
            Notifications
          </h2>
          <AlertDeliveries deliveries={deliveries} timeZone={timeZone} />
        </section>
      )}
    </article>
  );
}
