"use client";

import { useQuery } from "@tanstack/react-query";
import type { RunView } from "@/lib/metrics/status/types";
import { adminApi, adminKeys } from "./api";
import { isFinished } from "./sync-status";

/** Polls a run once a second while it is queued or running; stops when it is done. */
export function useRun(runId: number | null, initialData?: RunView) {
  return useQuery({
    queryKey: adminKeys.run(runId ?? 0),
    queryFn: ({ signal }) => adminApi<RunView>(`/api/v1/tasks/status/${runId}`, { signal }),
    enabled: runId !== null,
    initialData,
    staleTime: 0,
    refetchInterval: (query) => (isFinished(query.state.data?.status) ? false : 1_000),
  });
}
