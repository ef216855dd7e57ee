/**
 * The dashboard's range as it lives in the URL, shared by server pages and client
 * leaves. Kept free of zod and server code so client bundles stay small; the server
 * validates it (lib/web/search-params.ts) before anything is fetched.
 */
import type { ApiParams } from "./fetch-json";
import { DAY_MS } from "@/lib/core/time";

/** The URL holds either a timeframe or a custom range of whole UTC days (YYYY-MM-DD). */
export type DashboardRange = { timeframe: string } | { start: string; end: string };

/** What every client-scoped query needs; plain data so a server page can pass it to a leaf. */
export interface DashboardQuery {
  clientId: number;
  range: DashboardRange;
}

export const DEFAULT_TIMEFRAME = "7d";

/** URL search parameter names; the same words as the API's, so a shared URL reads plainly. */
export const SEARCH = { timeframe: "timeframe", start: "start", end: "end", refresh: "refresh" } as const;

/**
 * The API's range parameters. A custom range names whole days, both included, so `end`
 * becomes midnight after the last day: "1–3 Nov" must include all of 3 Nov.
 */
export function rangeApiParams(range: DashboardRange): ApiParams {
  if ("timeframe" in range) return { timeframe: range.timeframe };
  const endExclusive = new Date(Date.parse(`${range.end}T00:00:00Z`) + DAY_MS);
  return { start: `${range.start}T00:00:00Z`, end: endExclusive.toISOString().replace(".000Z", "Z") };
}

/** The range as URL search parameters (without the other ones), for links between tabs. */
export function rangeSearch(range: DashboardRange): Record<string, string> {
  return "timeframe" in range ? { timeframe: range.timeframe } : { start: range.start, end: range.end };
}

/** A short human label, e.g. "last 7d" or "2026-10-01 to 2026-10-31". */
export function rangeLabel(range: DashboardRange): string {
  return "timeframe" in range ? `last ${range.timeframe}` : `${range.start} to ${range.end}`;
}
