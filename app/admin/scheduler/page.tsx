import type { Metadata } from "next";
import { SchedulerPanel } from "@/components/admin/scheduler-panel";
import { getSchedulerView } from "@/lib/api/scheduler-view";
import { canAccess } from "@/lib/accounts/access";
import { requirePageViewer } from "@/lib/accounts/page-guard";
import { getDb } from "@/lib/db/database";

export const metadata: Metadata = { title: "Scheduler" };

/** Scheduler status (operators): mode, jobs, and each client's data freshness; admins can run a job now. */
export default async function SchedulerPage() {
  const viewer = await requirePageViewer("operator");
  return <SchedulerPanel initialData={await getSchedulerView(await getDb())} canRunJobs={canAccess(viewer, "admin")} />;
}
