import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";

/**
 * Server component: puts data the page already loaded (with lib functions, under its own
 * admin guard) into the client leaves' query cache under the key they read, so the first
 * paint needs no browser round trip and later changes refetch the same key.
 */
export function SeededQuery({
  queryKey,
  data,
  children,
}: {
  queryKey: readonly unknown[];
  data: unknown;
  children: ReactNode;
}) {
  const queryClient = new QueryClient();
  queryClient.setQueryData(queryKey, data);
  return <HydrationBoundary state={dehydrate(queryClient)}>{children}</HydrationBoundary>;
}
