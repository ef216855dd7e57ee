import type { Metadata } from "next";
import { SchedulerPanel } from "@/components/admin/scheduler-panel";
import { getSchedulerStatus } from "@/lib/metrics/status/scheduler-status";
import { requirePageViewer } from "@/lib/accounts/page-guard";
import { getDb } from "@/lib/db/database";

export const metadata: Metadata = { title: "Scheduler" };

/** Scheduler status (operators): mode, jobs, and each client's data freshness. */
export default async function SchedulerPage() {
  await requirePageViewer("operator");
  return <SchedulerPanel initialData={await getSchedulerStatus(await getDb())} />;
}
