"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { Skeleton } from "@/components/ui/skeleton";
import type { AdminClientView } from "@/lib/api/admin-client-view";
import { TEXT_LINK } from "@/components/ui/link";
import { ALERT } from "@/components/ui/message";
import { formatTimestamp } from "@/components/format/format";
import { CELL, TABLE, TBODY, THEAD, TableScroll } from "@/components/ui/table";
import { adminApi, adminKeys, errorText } from "./api";
import { STATUS_LABEL, STATUS_TONE } from "./sync-status";

export function useAdminClients(initialData?: AdminClientView[]) {
  return useQuery({
    queryKey: adminKeys.clients,
    queryFn: async ({ signal }) =>
      (await adminApi<{ clients: AdminClientView[] }>("/api/v1/admin/clients", { signal })).clients,
    initialData,
  });
}

/** Every client with its connection, state and last sync; the name links to its edit page. */
export function ClientsAdminTable({ initialData }: { initialData?: AdminClientView[] }) {
  const { data, error, isPending } = useAdminClients(initialData);
  if (isPending) return <Skeleton label="clients" className="h-40" />;
  if (error) {
    return (
      <p role="alert" className={ALERT}>
        The clients could not be loaded: {errorText(error)}
      </p>
    );
  }
  if (data.length === 0)
    return <EmptyState title="No clients yet">Create the first one with the form below.</EmptyState>;
  return (
    <TableScroll boxed label="Clients, scrolls sideways on small screens">
      <table className={TABLE}>
        <caption className="sr-only">Clients with their n8n connection, state and last sync</caption>
        <thead className={THEAD}>
          <tr>
            <th scope="col" className={`${CELL} font-medium`}>
              Name
            </th>
            <th scope="col" className={`${CELL} font-medium`}>
              Slug
            </th>
            <th scope="col" className={`${CELL} font-medium`}>
              n8n URL
            </th>
            <th scope="col" className={`${CELL} font-medium`}>
              API key
            </th>
            <th scope="col" className={`${CELL} font-medium`}>
              State
            </th>
            <th scope="col" className={`${CELL} font-medium`}>
              Last sync
            </th>
            <th scope="col" className={`${CELL} font-medium`}>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className={TBODY}>
          {data.map((c) => (
            <tr key={c.id} data-testid={`admin-client-${c.slug}`}>
              <th scope="row" className={`${CELL} text-left font-medium`}>
                {c.name}
              </th>
              <td className={`${CELL} font-mono text-xs`}>{c.slug}</td>
              <td className={`${CELL} max-w-56 truncate`} title={c.n8nBaseUrl}>
                {c.n8nBaseUrl}
              </td>
              <td className={`${CELL} font-mono text-xs`}>{c.apiKeyHint ?? "—"}</td>
              <td className={CELL}>
                <Badge tone={c.active ? "green" : "gray"}>{c.active ? "Active" : "Inactive"}</Badge>
              </td>
              <td className={CELL}>
                <span className="block">{c.lastSyncAt ? formatTimestamp(c.lastSyncAt) : "Never"}</span>
                {c.lastRun && c.lastRun.status !== "success" && (
                  <Badge tone={STATUS_TONE[c.lastRun.status]}>Last run: {STATUS_LABEL[c.lastRun.status]}</Badge>
                )}
              </td>
              <td className={CELL}>
                <Link href={`/admin/clients/${c.id}`} className={TEXT_LINK}>
                  Edit<span className="sr-only"> {c.name}</span>
                </Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
