import type { Metadata } from "next";
import { ClientsAdmin } from "@/components/admin/clients-admin";
import { listAdminClientViews } from "@/lib/api/admin-clients";
import { requirePageViewer } from "@/lib/accounts/page-guard";
import { timeZoneNames } from "@/lib/core/time-zone";
import { getDb } from "@/lib/db/database";

export const metadata: Metadata = { title: "Clients" };

/** Admin home: every client's connection and state, sync all, and a new client. */
export default async function AdminClientsPage() {
  await requirePageViewer("admin");
  // The first paint comes with the list; the table then keeps it fresh through the API.
  const clients = await listAdminClientViews(await getDb());
  // The zone suggestions come from the server's list, so server and browser render the same options.
  return <ClientsAdmin initialData={clients} timeZones={timeZoneNames()} />;
}
