"use client";

import Link from "next/link";
import { useSuspenseQuery } from "@tanstack/react-query";
import { TEXT_LINK } from "@/components/ui/link";
import { SeverityBadge } from "./alert-badges";
import { formatFigure } from "./alert-format";
import { AlertSince } from "./alerts-list";
import { ALERTS_REFRESH_MS, alertsListQuery, firingParams } from "./alerts-api";

/**
 * A client's dashboard: its firing alerts, read-only, for everyone who may see the page.
 * Nothing at all while none fires; it appears within a minute of one firing.
 */
export function FiringAlerts({ clientId, timeZone }: { clientId: number; timeZone: string }) {
  const { data } = useSuspenseQuery({ ...alertsListQuery(firingParams(clientId)), refetchInterval: ALERTS_REFRESH_MS });
  if (data.alerts.length === 0) return null;
  return (
    <section
      aria-labelledby="firing-alerts-heading"
      className="rounded-lg border border-red-300 border-l-4 border-l-red-600 bg-white p-4"
      data-testid="firing-alerts"
    >
      <h3 id="firing-alerts-heading" className="text-base font-semibold text-red-900">
        Firing alerts <span className="font-normal">({data.alerts.length})</span>
      </h3>
      <ul className="mt-2 divide-y divide-gray-100">
        {data.alerts.map((a) => {
          const figure = formatFigure(a.kind, a.value, a.threshold);
          return (
            <li key={a.id} className="flex flex-wrap items-start justify-between gap-2 py-2 text-sm">
              <div className="min-w-0 flex-1">
                <p className="flex flex-wrap items-center gap-2">
                  <SeverityBadge severity={a.severity} />
                  <Link href={`/alerts/${a.id}`} className={`font-medium ${TEXT_LINK}`}>
                    {a.ruleName}
                  </Link>
                  {a.workflowName && <span className="text-gray-700">· {a.workflowName}</span>}
                </p>
                <p className="mt-0.5 text-gray-800">{a.summary}</p>
                <p className="text-xs text-gray-700">
                  {figure.value}
                  {figure.threshold !== null && ` (threshold ${figure.threshold})`} ·{" "}
                  <AlertSince alert={a} timeZone={timeZone} />
                </p>
              </div>
              {a.link && (
                <Link href={a.link} className={`shrink-0 ${TEXT_LINK}`}>
                  View runs<span className="sr-only"> behind {a.ruleName}</span>
                </Link>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
