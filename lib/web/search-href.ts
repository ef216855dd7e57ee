/**
 * A page's URL with some search parameters changed: the dashboards keep their view in
 * the URL (range, refresh, sort, chosen metrics), and each control changes its own.
 */

/** `pathname` with `search` changed by `changes`: a value sets its key (even ""), null removes it. */
export function searchHref(
  pathname: string,
  search: { toString(): string },
  changes: Record<string, string | null>,
): string {
  const next = new URLSearchParams(search.toString());
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) next.delete(key);
    else next.set(key, value);
  }
  const qs = next.toString();
  return qs ? `${pathname}?${qs}` : pathname;
}

/**
 * Changes the search parameters in place, through the browser's history API: Next keeps
 * useSearchParams in step and asks the server for nothing (for controls that only
 * change how the page shows data it already has).
 */
export function replaceSearch(
  pathname: string,
  search: { toString(): string },
  changes: Record<string, string | null>,
) {
  window.history.replaceState(null, "", searchHref(pathname, search, changes));
}
