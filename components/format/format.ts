/**
 * Display formatting, the only place figures become text. Deterministic (fixed locale,
 * and an explicit zone: UTC, or the client's) so the server render and the browser
 * hydration agree.
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

/** A rate or other figure with up to one decimal, e.g. "12.5". */
export function formatDecimal(value: number | null | undefined): string {
  return value == null ? "—" : oneDecimal.format(value);
}

/**
 * A share between 0 and 1 as a percent with one decimal, rounded down: "99.9%" until it
 * is all there, never a "100.0%" that is not.
 */
export function formatShareDown(value: number | null | undefined): string {
  return value == null ? "—" : `${(Math.floor(value * 1000) / 10).toFixed(1)}%`;
}

export function formatMs(value: number | null | undefined): string {
  if (value == null) return "—";
  if (value < 1_000) return `${integer.format(value)} ms`;
  if (value < 60_000) return `${oneDecimal.format(value / 1_000)} s`;
  if (value < 3_600_000) return `${oneDecimal.format(value / 60_000)} min`;
  // Wait nodes make runs of hours or days: "26.5 h" reads better than "1,590 min".
  return `${oneDecimal.format(value / 3_600_000)} h`;
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

/**
 * One formatter per zone and style, built once: every one names its timeZone, so the
 * server render and the browser hydration format alike, whatever zone the browser is in.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(style: "dateTime" | "day", timeZone: string): Intl.DateTimeFormat {
  const key = `${style} ${timeZone}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(
      style === "day" ? "en-CA" : "en-US",
      style === "day"
        ? { year: "numeric", month: "2-digit", day: "2-digit", timeZone }
        : {
            month: "short",
            day: "numeric",
            hour: "2-digit",
            minute: "2-digit",
            hourCycle: "h23",
            timeZone,
            // "UTC", "EDT", "GMT+5:30": which side of a DST change a time is on.
            timeZoneName: "short",
          },
    );
    formatters.set(key, format);
  }
  return format;
}

/**
 * e.g. "Nov 3, 14:05 UTC" or "Nov 3, 19:35 GMT+5:30": the dashboard's short time in the
 * client's zone (formatTimestamp is the admin pages' exact UTC one).
 */
export function formatDateTime(iso: string | null | undefined, timeZone = "UTC"): string {
  return iso ? formatterFor("dateTime", timeZone).format(new Date(iso)) : "—";
}

/** The date (YYYY-MM-DD) in `timeZone` of an instant, e.g. where a zone's figures begin. */
export function formatDay(iso: string | null | undefined, timeZone = "UTC"): string {
  if (!iso) return "—";
  const parts = formatterFor("day", timeZone).formatToParts(new Date(iso));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")}`;
}

/**
 * "2026-03-02 14:03 UTC", the admin pages' exact time (with the year, sorts as text): cut
 * from the ISO string rather than formatted, so the server render and hydration agree.
 */
export function formatTimestamp(iso: string | null | undefined): string {
  if (!iso) return "—";
  return `${iso.slice(0, 16).replace("T", " ")} UTC`;
}

const secondFormatters = new Map<string, Intl.DateTimeFormat>();

/**
 * "2026-03-02 15:03:07 GMT+1": an exact time to the second in a zone (a client's, or UTC),
 * for runs, whose phases last seconds. Formatted with an explicit zone, like formatDateTime,
 * so the server render and the browser hydration agree.
 */
export function formatTimestampSeconds(iso: string | null | undefined, timeZone = "UTC"): string {
  if (!iso) return "—";
  let format = secondFormatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", {
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
      timeZone,
      timeZoneName: "short",
    });
    secondFormatters.set(timeZone, format);
  }
  const parts = format.formatToParts(new Date(iso));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  const zone = timeZone === "UTC" ? "UTC" : part("timeZoneName");
  return `${part("year")}-${part("month")}-${part("day")} ${part("hour")}:${part("minute")}:${part("second")} ${zone}`;
}

/**
 * "36 s ago" from the API's ageSeconds. Computed from a number the server fixed, not from
 * the clock at render, so server and browser render the same text.
 */
export function formatAge(seconds: number | null | undefined): string {
  if (seconds == null) return "never";
  if (seconds < 90) return `${Math.round(seconds)} s ago`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 36 * 3600) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} d ago`;
}
