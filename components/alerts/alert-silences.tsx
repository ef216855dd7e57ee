"use client";

import { useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { Badge } from "@/components/ui/badge";
import { formatDateTime } from "@/components/format/format";
import { ConfirmAction } from "@/components/admin/accounts/confirm-action";
import { ALERTS_KEY, endSilence, silencesQuery, type AlertView, type SilenceView } from "./alerts-api";

/** Whether a silence holds back this alert's notifications (lib/alerts/silences.ts matchSilence). */
function covers(s: SilenceView, a: AlertView): boolean {
  return (
    (s.clientId === null || s.clientId === a.clientId) &&
    (s.ruleId === null || s.ruleId === a.ruleId) &&
    Object.entries(s.labels).every(([k, v]) => a.labels[k] === v)
  );
}

/** The silences in force or to come that cover this alert, each with "End now". */
export function AlertSilences({ alert, timeZone }: { alert: AlertView; timeZone: string }) {
  const queryClient = useQueryClient();
  const { data } = useSuspenseQuery(silencesQuery());
  const covering = data.filter((s) => s.status !== "expired" && covers(s, alert));
  if (covering.length === 0) return <p className="text-sm text-gray-700">No silence covers this alert.</p>;
  return (
    <ul className="space-y-2" data-testid="alert-silences">
      {covering.map((s) => (
        <li key={s.id} className="flex flex-wrap items-center gap-2 text-sm">
          <Badge tone={s.status === "active" ? "amber" : "blue"}>{s.status}</Badge>
          <span>
            until <time dateTime={s.endsAt}>{formatDateTime(s.endsAt, timeZone)}</time>
            {s.comment && <span className="text-gray-600"> · {s.comment}</span>}
          </span>
          <ConfirmAction
            label="End now"
            accessibleLabel={`End the silence until ${formatDateTime(s.endsAt, timeZone)}`}
            question="End this silence now? Notifications are sent again from the next evaluation."
            confirmLabel="End silence"
            onConfirm={async () => {
              await endSilence(s.id);
              await queryClient.invalidateQueries({ queryKey: ALERTS_KEY });
            }}
          />
        </li>
      ))}
    </ul>
  );
}
