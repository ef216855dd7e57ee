"use client";

import { useQuery, type Query, type QueryKey, type UseQueryOptions } from "@tanstack/react-query";
import { useSyncExternalStore } from "react";

/**
 * Reads a System query in the browser. The first answer's failure goes to the widget's
 * error boundary (its message and "Try again", as on the dashboards); a failed refresh
 * keeps the figures shown, which the next poll replaces.
 */
export function useSystemQuery<T, K extends QueryKey>(options: UseQueryOptions<T, Error, T, K>) {
  return useQuery({ ...options, throwOnError: keepShownOnRefreshFailure });
}

/** TanStack's throwOnError for the System queries: throw only while nothing is shown. */
export const keepShownOnRefreshFailure = <T, K extends QueryKey>(_error: Error, query: Query<T, Error, T, K>) =>
  query.state.data === undefined;

const noSubscription = () => () => {};
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

/**
 * The viewer's time zone (the browser's), for the charts' axes and the run times. The
 * server render and hydration use UTC; the browser's zone follows right after, so the
 * two renders agree.
 */
export function useViewerZone(): string {
  return useSyncExternalStore(noSubscription, browserZone, () => "UTC");
}
