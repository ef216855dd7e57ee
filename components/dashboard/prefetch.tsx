import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import type { AnyMetricsQuery } from "@/lib/web/metrics-queries";

/**
 * Server component: fetches a widget's queries, then hands the answers to its client
 * leaves through HydrationBoundary. Each widget gets its own, inside its own Suspense,
 * so a slow query delays only its widget. A failed prefetch is not fatal here: the leaf
 * fetches again in the browser and its error boundary shows the API's message.
 */
export async function Prefetch({ queries, children }: { queries: readonly AnyMetricsQuery[]; children: ReactNode }) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  await Promise.all(queries.map(({ queryKey, queryFn }) => queryClient.prefetchQuery({ queryKey, queryFn })));
  return <HydrationBoundary state={dehydrate(queryClient)}>{children}</HydrationBoundary>;
}
