"use client";

import { QueryClientProvider } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { getQueryClient } from "@/lib/web/query-client";

export function Providers({ children }: { children: ReactNode }) {
  // Not useState: with no Suspense boundary above, React may drop state on a suspending
  // first render; getQueryClient keeps one browser client instead.
  const queryClient = getQueryClient();
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
