"use client";

import type { AdminClient } from "@/lib/metrics/status/types";
import { ClientsAdminTable, useAdminClients } from "./clients-admin-table";
import { NewClientForm } from "./new-client-form";
import { SyncAllButton } from "./sync-all-button";

/** The clients console: the table, "Sync all" and the form that adds a client. */
export function ClientsAdmin({ initialData }: { initialData: AdminClient[] }) {
  const { data } = useAdminClients(initialData);
  const names = Object.fromEntries((data ?? []).map((c) => [c.id, c.name]));
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <h1 id="admin-clients-heading" className="text-2xl font-semibold">
          Clients
        </h1>
        <SyncAllButton clientNames={names} />
      </div>
      <ClientsAdminTable initialData={initialData} />
      <NewClientForm />
    </div>
  );
}
