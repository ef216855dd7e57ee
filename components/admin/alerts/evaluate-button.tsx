"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ALERTS_KEY, errorText, evaluateAlerts } from "@/components/alerts/alerts-api";
import { buttonClass } from "@/components/ui/button";

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Runs the every-minute evaluation now and says what it did. */
export function EvaluateButton() {
  const queryClient = useQueryClient();
  const run = useMutation({
    mutationFn: evaluateAlerts,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ALERTS_KEY }),
  });
  const r = run.data;
  return (
    <div className="flex flex-wrap items-center gap-3">
      <button type="button" className={buttonClass("secondary")} disabled={run.isPending} onClick={() => run.mutate()}>
        {run.isPending ? "Evaluating…" : "Evaluate now"}
      </button>
      <p aria-live="polite" className="text-sm text-gray-700" data-testid="evaluate-result">
        {r &&
          `${plural(r.evaluation.rules, "rule")} evaluated${r.evaluation.failed ? ` (${r.evaluation.failed} failed)` : ""}: ` +
            `${r.evaluation.fired} fired, ${r.evaluation.resolved} resolved; ` +
            `${plural(r.delivery.delivered, "notification")} delivered, ${r.delivery.retrying} retrying, ${r.delivery.failed} failed.`}
        {run.isError && <span className="text-red-800">{errorText(run.error)}</span>}
      </p>
    </div>
  );
}
