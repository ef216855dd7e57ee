"use client";

import type { AdminClientView } from "@/lib/api/admin-client-view";
import { ClientsAdminTable, useAdminClients } from "./clients-admin-table";
import { NewClientForm } from "./new-client-form";
import { SyncAllButton } from "./sync-all-button";

/** The clients console: the table, "Sync all" and the form that adds a client. */
export function ClientsAdmin({
  initialData,
  timeZones,
}: {
  initialData: AdminClientView[];
  /** Zone names for the new client's time zone field. */
  timeZones: readonly string[];
}) {
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
      <NewClientForm timeZones={timeZones} />
    </div>
  );
}
