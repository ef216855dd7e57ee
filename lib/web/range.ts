/**
 * The dashboard's range as it lives in the URL, shared by server pages and client
 * leaves. Kept free of zod and server code so client bundles stay small; the server
 * validates it (lib/web/search-params.ts) before anything is fetched.
 */
import { TZDate } from "@date-fns/tz";
import type { ApiParams } from "./fetch-json";

/**
 * The URL holds either a timeframe or a custom range: whole days (YYYY-MM-DD) in the
 * client's zone (UTC on pages that show every client), or instants as the API takes them
 * (ISO 8601 with a zone, e.g. 2026-11-01T08:30:00Z), each end either way.
 */
export type DashboardRange = { timeframe: string } | { start: string; end: string };

/** What every client-scoped query needs; plain data so a server page can pass it to a leaf. */
export interface DashboardQuery {
  clientId: number;
  range: DashboardRange;
  /** The client's IANA zone: of its custom range's days, its buckets and every time shown. */
  timeZone: string;
}

export const DEFAULT_TIMEFRAME = "7d";

/** URL search parameter names; the same words as the API's, so a shared URL reads plainly. */
export const SEARCH = {
  timeframe: "timeframe",
  start: "start",
  end: "end",
  /** Optional times of the custom range's days, from the range form (folded into start/end). */
  startTime: "startTime",
  endTime: "endTime",
  refresh: "refresh",
} as const;

/**
 * Midnight starting `day` (YYYY-MM-DD) plus `addDays` in `timeZone`, as ISO 8601 without
 * milliseconds; UTC's reads "2026-11-01T00:00:00Z". Local midnight, so the range starts
 * where the client's day buckets do.
 */
function localMidnight(day: string, addDays: number, timeZone: string): string {
  const [year, month, date] = day.split("-").map(Number);
  const ms = new TZDate(year, month - 1, date + addDays, timeZone).getTime();
  return new Date(ms).toISOString().replace(".000Z", "Z");
}

/**
 * The API's range parameters. A custom range names whole days in `timeZone`, both
 * included, so `end` becomes the midnight after the last day: "1–3 Nov" must include all
 * of 3 Nov.
 */
export function rangeApiParams(range: DashboardRange, timeZone = "UTC"): ApiParams {
  if ("timeframe" in range) return { timeframe: range.timeframe };
  return {
    start: isDay(range.start) ? localMidnight(range.start, 0, timeZone) : range.start,
    end: isDay(range.end) ? localMidnight(range.end, 1, timeZone) : range.end,
  };
}

/** A time of day as a time input gives it (HH:MM, or HH:MM:SS). */
export const isTimeOfDay = (value: string) => /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/.test(value);

/**
 * `day` (YYYY-MM-DD) at `time` (HH:MM[:SS]) in `timeZone`, as an ISO instant: what the
 * custom range's optional time fields make of a day. A time the zone skips (the hour
 * a DST change jumps over) lands where date-fns puts it, after the gap.
 */
export function instantOf(day: string, time: string, timeZone: string): string {
  const [year, month, date] = day.split("-").map(Number);
  const [hours, minutes, seconds = 0] = time.split(":").map(Number);
  const ms = new TZDate(year, month - 1, date, hours, minutes, seconds, timeZone).getTime();
  return new Date(ms).toISOString().replace(".000Z", "Z");
}

/** Whether a custom range's end is a whole day (else an instant). */
export const isDay = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value);

/** The range as URL search parameters (without the other ones), for links between tabs. */
export function rangeSearch(range: DashboardRange): Record<string, string> {
  return "timeframe" in range ? { timeframe: range.timeframe } : { start: range.start, end: range.end };
}

/** A short human label, e.g. "last 7d" or "2026-10-01 to 2026-10-31". */
export function rangeLabel(range: DashboardRange): string {
  return "timeframe" in range ? `last ${range.timeframe}` : `${range.start} to ${range.end}`;
}
