"use client";

import { useQuery } from "@tanstack/react-query";
import type { AdminClientView } from "@/lib/api/admin-client-view";
import { adminApi, adminKeys } from "./api";

export function useAdminClient(id: number, initialData?: AdminClientView) {
  return useQuery({
    queryKey: adminKeys.client(id),
    queryFn: ({ signal }) => adminApi<AdminClientView>(`/api/v1/admin/clients/${id}`, { signal }),
    initialData,
  });
}
