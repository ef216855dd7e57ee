/**
 * Alerts in words and colours: state and severity badges' tones, each rule kind's name,
 * and a figure with its unit. The measured value and its threshold mean different
 * things per kind (lib/alerts/measure), so the unit comes from the kind.
 */
import type { Tone } from "@/components/ui/badge";
import { formatDecimal, formatMinutes, formatMs, formatPercent } from "@/components/format/format";
import { formatUsd } from "@/components/format/money";
import type { AlertRuleKind, AlertSeverity, AlertState } from "@/lib/core/vocabulary";

export const STATE_TONE: Record<AlertState, Tone> = { firing: "red", pending: "amber", resolved: "gray", ok: "gray" };
export const STATE_LABEL: Record<AlertState, string> = {
  firing: "Firing",
  pending: "Pending",
  resolved: "Resolved",
  ok: "Cleared",
};
export const SEVERITY_TONE: Record<AlertSeverity, Tone> = { critical: "red", warning: "amber", info: "blue" };

export const KIND_LABEL: Record<AlertRuleKind, string> = {
  failure_rate: "Failure rate",
  failures: "Failures",
  latency: "Slow runs (latency)",
  silence: "No runs (silence)",
  missed_schedule: "Missed schedules",
  stuck: "Stuck runs",
  stale_data: "Stale data",
  coverage: "Missing executions (coverage)",
  llm_cost: "LLM cost budget",
  anomaly: "Anomaly",
};

/** A kind name from the API, in words; an unknown one as it is. */
export const kindLabel = (kind: string) => KIND_LABEL[kind as AlertRuleKind] ?? kind;

type Unit = "percent" | "ms" | "usd" | "minutes" | "number";

/** The unit of [value, threshold] per kind: stuck runs count executions against a limit in minutes. */
const FIGURE_UNITS: Partial<Record<AlertRuleKind, [Unit, Unit]>> = {
  failure_rate: ["percent", "percent"],
  latency: ["ms", "ms"],
  silence: ["minutes", "minutes"],
  llm_cost: ["usd", "usd"],
  stuck: ["number", "minutes"],
};

function formatIn(unit: Unit, value: number): string {
  switch (unit) {
    case "percent":
      return formatPercent(value);
    case "ms":
      return formatMs(value);
    case "usd":
      return formatUsd(value);
    case "minutes":
      return formatMinutes(value);
    case "number":
      return formatDecimal(value);
  }
}

/** "23.5%" and "10%": the figure that made an alert fire and what it was judged against. */
export function formatFigure(kind: string, value: number | null, threshold: number | null) {
  const [valueUnit, thresholdUnit] = FIGURE_UNITS[kind as AlertRuleKind] ?? ["number", "number"];
  return {
    value: value === null ? "—" : formatIn(valueUnit, value),
    threshold: threshold === null ? null : formatIn(thresholdUnit, threshold),
  };
}

/** "1 h", "4 h", "30 min": a duration given in seconds, as the rules list shows it. */
export function formatSeconds(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400} d`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
