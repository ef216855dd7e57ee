import { Badge } from "@/components/ui/badge";
import type { AlertSeverity, AlertState } from "@/lib/core/vocabulary";
import { SEVERITY_TONE, STATE_LABEL, STATE_TONE } from "./alert-format";

/** Firing red, pending amber, ended grey: the word always with the colour. */
export function AlertStateBadge({ state }: { state: AlertState }) {
  return (
    <span data-testid="alert-state" data-state={state}>
      <Badge tone={STATE_TONE[state]}>{STATE_LABEL[state]}</Badge>
    </span>
  );
}

export function SeverityBadge({ severity }: { severity: string }) {
  return <Badge tone={SEVERITY_TONE[severity as AlertSeverity] ?? "gray"}>{severity}</Badge>;
}
