import type { Metadata } from "next";
import { ClientsAdmin } from "@/components/admin/clients-admin";
import { listAdminClients } from "@/lib/metrics/status/admin-clients";
import { requirePageViewer } from "@/lib/accounts/page-guard";
import { getDb } from "@/lib/db/database";

export const metadata: Metadata = { title: "Clients" };

/** Admin home: every client's connection and state, sync all, and a new client. */
export default async function AdminClientsPage() {
  await requirePageViewer("admin");
  // The first paint comes with the list; the table then keeps it fresh through the API.
  const clients = await listAdminClients(await getDb());
  return <ClientsAdmin initialData={clients} />;
}
