"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { buttonClass } from "@/components/ui/button";
import { ALERT, SUCCESS } from "@/components/ui/message";
import { formatDateTime } from "@/components/format/format";
import { acknowledgeAlert, ALERTS_KEY, createSilence, errorText, type AlertView } from "./alerts-api";

/** The silences one click sets: this rule, on this client, for a while. */
const SILENCE_HOURS = [1, 4, 24] as const;

/**
 * What an operator does with an alert: acknowledge it (no more reminders until it
 * resolves) and silence its rule on its client for 1, 4 or 24 hours. Client users never
 * see these; the API refuses them anyway.
 */
export function AlertActions({ alert, timeZone }: { alert: AlertView; timeZone: string }) {
  const queryClient = useQueryClient();
  const [done, setDone] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ALERTS_KEY });

  const acknowledge = useMutation({
    mutationFn: () => acknowledgeAlert(alert.id),
    onSuccess: async () => {
      setDone("Acknowledged: no reminders until it resolves.");
      await refresh();
    },
  });
  const silence = useMutation({
    mutationFn: (hours: number) =>
      createSilence({
        clientId: alert.clientId,
        ruleId: alert.ruleId,
        labels: {},
        endsAt: new Date(Date.now() + hours * 3_600_000).toISOString(),
        comment: `Silenced from alert ${alert.id}`,
      }),
    onSuccess: async ({ silence: s }) => {
      setDone(
        `Silenced “${alert.ruleName}” on ${alert.clientName} until ${formatDateTime(s.endsAt, timeZone)}: its notifications are held back.`,
      );
      await refresh();
    },
  });
  const open = alert.state === "firing" || alert.state === "pending";
  const error = acknowledge.error ?? silence.error;
  const busy = acknowledge.isPending || silence.isPending;

  return (
    <section aria-labelledby="alert-actions-heading" className="space-y-3" data-testid="alert-actions">
      <h2 id="alert-actions-heading" className="text-base font-semibold">
        Actions
      </h2>
      <div className="flex flex-wrap items-center gap-2">
        {open && !alert.acknowledgedAt && (
          <button
            type="button"
            className={buttonClass("primary")}
            disabled={busy}
            onClick={() => {
              setDone(null);
              acknowledge.mutate();
            }}
          >
            {acknowledge.isPending ? "Acknowledging…" : "Acknowledge"}
          </button>
        )}
        <div role="group" aria-labelledby="silence-label" className="flex flex-wrap items-center gap-2">
          <span id="silence-label" className="text-sm text-gray-700">
            Silence this rule on {alert.clientName} for
          </span>
          {SILENCE_HOURS.map((h) => (
            <button
              key={h}
              type="button"
              className={buttonClass("secondary")}
              disabled={busy}
              aria-label={`Silence this rule for ${h} h`}
              onClick={() => {
                setDone(null);
                silence.mutate(h);
              }}
            >
              {h} h
            </button>
          ))}
        </div>
      </div>
      <div aria-live="polite">
        {done && (
          <p role="status" className={SUCCESS}>
            {done}
          </p>
        )}
      </div>
      {error && (
        <p role="alert" className={ALERT}>
          {errorText(error)}
        </p>
      )}
    </section>
  );
}
