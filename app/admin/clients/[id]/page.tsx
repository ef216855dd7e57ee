import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ClientEditor } from "@/components/admin/client-editor";
import { getAdminClientView } from "@/lib/api/admin-clients";
import type { AdminClientView } from "@/lib/api/admin-client-view";
import { requirePageViewer } from "@/lib/accounts/page-guard";
import { timeZoneNames } from "@/lib/core/time-zone";
import { getDb } from "@/lib/db/database";
import { idFromPath, nullIfNotFound } from "@/lib/api/ids";

type Props = { params: Promise<{ id: string }> };

/** The client's admin view, or null for an id that is malformed or unknown alike. */
async function findClient(raw: string): Promise<AdminClientView | null> {
  const id = idFromPath(raw);
  return id === null ? null : nullIfNotFound(async () => getAdminClientView(await getDb(), id));
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  await requirePageViewer("admin");
  const client = await findClient((await params).id);
  return { title: client ? client.name : "Client not found" };
}

/** One client: settings (time zone included) and connection test, filter rules with preview, sync now and history. */
export default async function AdminClientPage({ params }: Props) {
  await requirePageViewer("admin");
  const client = await findClient((await params).id);
  if (!client) notFound();
  // The zone suggestions come from the server's list, so server and browser render the same options.
  return <ClientEditor initialData={client} timeZones={timeZoneNames()} />;
}
