/**
 * The executions explorer's filters as the page keeps them in its URL: the API's own
 * parameter names and values (GET /api/v1/metrics/executions), so a page URL and an API
 * URL read the same, and the API's parser decides what is valid.
 */
import { ExecutionsParams } from "@/lib/metrics/explorer-params";
import type { ApiParams } from "./fetch-json";
import { rangeSearch, type DashboardRange } from "./range";

/** The filter parameters, in the order the form shows them. */
export const EXPLORER_FILTERS = [
  "status",
  "workflowId",
  "mode",
  "class",
  "reason",
  "error",
  "node",
  "hour",
  "minDurationMs",
  "executionId",
] as const;
export type ExplorerFilter = (typeof EXPLORER_FILTERS)[number];

/** The URL's filters, as text; only those given. */
export type ExplorerFilters = Partial<Record<ExplorerFilter, string>>;

export interface ParsedExplorerSearch {
  filters: ExplorerFilters;
  /** The API's message for a filter it would refuse; the page then lists unfiltered. */
  filterProblem: string | null;
}

/** Reads the filters from search params and checks them with the API's schema. */
export function parseExplorerSearch(
  search: Record<string, string | string[] | undefined>,
  clientId: number,
): ParsedExplorerSearch {
  const filters: ExplorerFilters = {};
  for (const key of EXPLORER_FILTERS) {
    const value = search[key];
    const text = Array.isArray(value) ? value[0] : value;
    // An error message is matched exactly, spaces and all; the rest are tokens.
    if (text !== undefined && text.trim() !== "") filters[key] = key === "error" ? text : text.trim();
  }
  const parsed = ExecutionsParams.safeParse({ clientId: String(clientId), ...filters });
  if (parsed.success) return { filters, filterProblem: null };
  const issue = parsed.error.issues[0];
  return { filters: {}, filterProblem: `${issue?.path.join(".") || "filter"}: ${issue?.message ?? "is not valid"}` };
}

/** The filters as API parameters. */
export const explorerApiParams = (filters: ExplorerFilters): ApiParams => ({ ...filters });

/** The Runs tab of client `slug` over `range`, filtered: where a figure's "which runs?" leads. */
export function runsHref(slug: string, range: DashboardRange, filters: ExplorerFilters): string {
  const search = new URLSearchParams({ ...rangeSearch(range), ...filters });
  return `/clients/${encodeURIComponent(slug)}/runs?${search.toString()}`;
}

/** The drill-down of one workflow (Flowscope's id) of client `slug` over `range`. */
export function workflowHref(slug: string, range: DashboardRange, workflowId: number): string {
  const search = new URLSearchParams(rangeSearch(range));
  return `/clients/${encodeURIComponent(slug)}/workflows/${workflowId}?${search.toString()}`;
}

/**
 * The Runs tab on one execution, from lists not bound to the page's range (recent
 * activity, a client's last failure): the explorer finds an id whenever it ran, and the
 * page names the longest range the tabs offer.
 */
export const runHref = (slug: string, executionId: number): string =>
  runsHref(slug, { timeframe: "90d" }, { executionId: String(executionId) });

/** The filters of a client's failed production runs. */
export const FAILED_RUNS: ExplorerFilters = { status: "error,crashed", class: "production" };
