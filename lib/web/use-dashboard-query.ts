"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import type { metricsQuery } from "./metrics-queries";

/** How often auto-refresh refetches: about the rate at which new data can appear. */
export const REFRESH_MS = 30_000;

/**
 * Reads a prefetched query in a client leaf. With auto-refresh on (refresh=on in the
 * URL) it polls; TanStack pauses polling while the tab is hidden.
 */
export function useDashboardQuery<T>(query: ReturnType<typeof metricsQuery<T>>, refresh: boolean) {
  return useSuspenseQuery({ ...query, refetchInterval: refresh ? REFRESH_MS : false });
}
