/**
 * Display formatting, the only place figures become text. Deterministic (fixed locale,
 * UTC) so the server render and the browser hydration agree.
 */
import type { Comparison, MetricName, MetricUnit } from "@/lib/metrics/types";
import { formatUsd } from "./money";

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

export function formatCount(value: number | null | undefined): string {
  return value == null ? "—" : integer.format(value);
}

export function formatPercent(value: number | null | undefined): string {
  return value == null ? "—" : `${oneDecimal.format(value)}%`;
}

export function formatMs(value: number | null | undefined): string {
  if (value == null) return "—";
  if (value < 1_000) return `${integer.format(value)} ms`;
  if (value < 60_000) return `${oneDecimal.format(value / 1_000)} s`;
  return `${oneDecimal.format(value / 60_000)} min`;
}

export function formatMinutes(value: number | null | undefined): string {
  if (value == null) return "—";
  return value < 120 ? `${integer.format(value)} min` : `${oneDecimal.format(value / 60)} h`;
}

export function formatValue(value: number | null | undefined, unit: MetricUnit): string {
  switch (unit) {
    case "count":
      return formatCount(value);
    case "percent":
      return formatPercent(value);
    case "ms":
      return formatMs(value);
    case "minutes":
      return formatMinutes(value);
    case "usd":
      return formatUsd(value);
  }
}

/** Metrics where a rise is bad news; the delta's colour follows this, its arrow does not. */
const UP_IS_BAD = new Set<MetricName>(["failures", "avg_duration_ms", "p95_duration_ms", "llm_cost_usd"]);

export interface DeltaView {
  /** e.g. "↑ 12.5%" or "↓ 1.2 pp"; null when there is nothing to compare with. */
  text: string | null;
  /** Said instead of the arrow by screen readers. */
  spoken: string;
  tone: "good" | "bad" | "flat";
}

/** Rates change in percentage points; everything else in percent of the previous value. */
export function describeDelta(c: Comparison, unit: MetricUnit, metric?: MetricName): DeltaView {
  const change = unit === "percent" ? c.delta : c.deltaPct;
  if (change == null) return { text: null, spoken: "no previous period to compare with", tone: "flat" };
  const suffix = unit === "percent" ? " pp" : "%";
  const size = `${oneDecimal.format(Math.abs(change))}${suffix}`;
  if (Math.abs(change) < 0.05)
    return { text: `± 0${suffix}`, spoken: "unchanged from the previous period", tone: "flat" };
  const up = change > 0;
  const bad = metric && UP_IS_BAD.has(metric) ? up : !up;
  return {
    text: `${up ? "↑" : "↓"} ${size}`,
    spoken: `${up ? "up" : "down"} ${size} from the previous period`,
    tone: bad ? "bad" : "good",
  };
}

const dateTime = new Intl.DateTimeFormat("en-US", {
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
  timeZone: "UTC",
});

/** e.g. "Nov 3, 14:05 UTC". */
export function formatDateTime(iso: string | null | undefined): string {
  return iso ? `${dateTime.format(new Date(iso))} UTC` : "—";
}
