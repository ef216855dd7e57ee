import "server-only";
import { RangeError, RangeParams, resolveRange, TIMEFRAMES } from "@/lib/metrics/range";
import { DEFAULT_TIMEFRAME, instantOf, isTimeOfDay, rangeApiParams, SEARCH, type DashboardRange } from "./range";

export type SearchParams = Record<string, string | string[] | undefined>;

export interface ParsedSearch {
  range: DashboardRange;
  refresh: boolean;
  /** Why the URL's range was ignored, shown above the figures; null when it was fine. */
  rangeProblem: string | null;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A date-time with a zone, as the API reads them (lib/metrics/range.ts checks it fully). */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const customEnd = (value: string) => DATE.test(value) || INSTANT.test(value);

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Reads a tab's search parameters. The range goes through the API's own parser
 * (RangeParams + resolveRange), so the page rejects exactly what the API would reject,
 * and then falls back to the default instead of showing every widget failing. A custom
 * range's days are in `timeZone`, the client's.
 */
export function parseDashboardSearch(search: SearchParams, timeZone = "UTC"): ParsedSearch {
  const refresh = first(search[SEARCH.refresh]) === "on";
  const timeframe = first(search[SEARCH.timeframe]);
  // The range form's optional times (before its script runs, or without one) fold into
  // their days here, so the range is the instants either way.
  const withTime = (day: string | undefined, time: string | undefined) =>
    day && DATE.test(day) && time && isTimeOfDay(time) ? instantOf(day, time, timeZone) : day;
  const start = withTime(first(search[SEARCH.start]), first(search[SEARCH.startTime]));
  const end = withTime(first(search[SEARCH.end]), first(search[SEARCH.endTime]));
  const fallback = { range: { timeframe: DEFAULT_TIMEFRAME }, refresh };

  if (start || end) {
    if (!start || !end || !customEnd(start) || !customEnd(end)) {
      return {
        ...fallback,
        rangeProblem:
          "A custom range needs a start and an end, each a date (YYYY-MM-DD) or a time with a zone (2026-11-01T08:30:00Z).",
      };
    }
    const range = { start, end };
    const problem = apiRangeProblem(range, timeZone);
    return problem ? { ...fallback, rangeProblem: problem } : { range, refresh, rangeProblem: null };
  }
  if (timeframe && !(TIMEFRAMES as readonly string[]).includes(timeframe)) {
    return { ...fallback, rangeProblem: `Unknown timeframe "${timeframe}"; use one of ${TIMEFRAMES.join(", ")}.` };
  }
  return { range: { timeframe: timeframe ?? DEFAULT_TIMEFRAME }, refresh, rangeProblem: null };
}

function apiRangeProblem(range: DashboardRange, timeZone: string): string | null {
  const parsed = RangeParams.safeParse(rangeApiParams(range, timeZone));
  if (!parsed.success) return parsed.error.issues[0]?.message ?? "Invalid range.";
  try {
    resolveRange(parsed.data);
    return null;
  } catch (err) {
    if (err instanceof RangeError) return err.message;
    throw err;
  }
}
