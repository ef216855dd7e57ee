import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ClientEditor } from "@/components/admin/client-editor";
import { getAdminClient } from "@/lib/metrics/status/admin-clients";
import type { AdminClient } from "@/lib/metrics/status/types";
import { requirePageViewer } from "@/lib/accounts/page-guard";
import { getDb } from "@/lib/db/database";
import { idFromPath, nullIfNotFound } from "@/lib/api/ids";

type Props = { params: Promise<{ id: string }> };

/** The client's admin view, or null for an id that is malformed or unknown alike. */
async function findClient(raw: string): Promise<AdminClient | null> {
  const id = idFromPath(raw);
  return id === null ? null : nullIfNotFound(async () => getAdminClient(await getDb(), id));
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  await requirePageViewer("admin");
  const client = await findClient((await params).id);
  return { title: client ? client.name : "Client not found" };
}

/** One client: settings and connection test, filter rules with preview, sync now and history. */
export default async function AdminClientPage({ params }: Props) {
  await requirePageViewer("admin");
  const client = await findClient((await params).id);
  if (!client) notFound();
  return <ClientEditor initialData={client} />;
}
