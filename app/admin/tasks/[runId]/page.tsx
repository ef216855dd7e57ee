import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { RunDetails } from "@/components/admin/run-details";
import { getRunView } from "@/lib/metrics/status/run-view";
import type { RunView } from "@/lib/metrics/status/types";
import { canAccess } from "@/lib/accounts/access";
import { requirePageViewer } from "@/lib/accounts/page-guard";
import { getDb } from "@/lib/db/database";
import { idFromPath, nullIfNotFound } from "@/lib/api/ids";

type Props = { params: Promise<{ runId: string }> };

export const metadata: Metadata = { title: "Run" };

async function findRun(raw: string): Promise<RunView | null> {
  const id = idFromPath(raw);
  return id === null ? null : nullIfNotFound(async () => getRunView(await getDb(), id));
}

/** One run's status (operators): what "Sync now", "Save rules" and "Sync all" link to. */
export default async function RunPage({ params }: Props) {
  const viewer = await requirePageViewer("operator");
  const run = await findRun((await params).runId);
  if (!run) notFound();
  return <RunDetails initialData={run} canEditClient={canAccess(viewer, "admin")} />;
}
