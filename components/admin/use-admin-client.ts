"use client";

import { useQuery } from "@tanstack/react-query";
import type { AdminClient } from "@/lib/metrics/status/types";
import { adminApi, adminKeys } from "./api";

export function useAdminClient(id: number, initialData?: AdminClient) {
  return useQuery({
    queryKey: adminKeys.client(id),
    queryFn: ({ signal }) => adminApi<AdminClient>(`/api/v1/admin/clients/${id}`, { signal }),
    initialData,
  });
}
