import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import type { ServerQuery } from "@/lib/web/server-queries";

/**
 * Server component: runs a widget's server queries (lib/web/server-queries.ts), then hands
 * the answers to its client leaves through HydrationBoundary. Each widget gets its own,
 * inside its own Suspense, so a slow query delays only its widget. A failed prefetch is
 * not fatal here (prefetchQuery never throws, and only successful queries are
 * dehydrated): the leaf fetches again in the browser and its error boundary shows the
 * API's message.
 */
export async function Prefetch({ queries, children }: { queries: readonly ServerQuery[]; children: ReactNode }) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  await Promise.all(queries.map(({ queryKey, queryFn }) => queryClient.prefetchQuery({ queryKey, queryFn })));
  return <HydrationBoundary state={dehydrate(queryClient)}>{children}</HydrationBoundary>;
}
