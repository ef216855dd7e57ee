import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { RunDetails } from "@/components/admin/run-details";
import { getRunView } from "@/lib/metrics/status/run-view";
import type { RunView } from "@/lib/metrics/status/types";
import { canAccess } from "@/lib/accounts/access";
import { requirePageViewer } from "@/lib/accounts/page-guard";
import { findClientLabel } from "@/lib/clients/queries";
import { getDb } from "@/lib/db/database";
import { idFromPath, nullIfNotFound } from "@/lib/api/ids";

type Props = { params: Promise<{ runId: string }> };

export const metadata: Metadata = { title: "Run" };

async function findRun(raw: string): Promise<RunView | null> {
  const id = idFromPath(raw);
  return id === null ? null : nullIfNotFound(async () => getRunView(await getDb(), id));
}

/**
 * One run's status (operators): what "Sync now", "Save rules", "Run now" and the sync
 * history link to. Its client (name, slug, zone) is read here once: the times are shown in
 * the client's zone, and the page links back to it.
 */
export default async function RunPage({ params }: Props) {
  const viewer = await requirePageViewer("operator");
  const run = await findRun((await params).runId);
  if (!run) notFound();
  const client = run.clientId === null ? null : ((await findClientLabel(await getDb(), run.clientId)) ?? null);
  return <RunDetails initialData={run} client={client} canEditClient={canAccess(viewer, "admin")} />;
}
