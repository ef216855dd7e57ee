import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { RuleEditor } from "@/components/admin/alerts/rule-editor";
import { requirePageViewer } from "@/lib/accounts/page-guard";
import { listClientChoices } from "@/lib/accounts/users";
import { listChannels } from "@/lib/alerts/channels";
import { getRule } from "@/lib/alerts/rule-store";
import { AppError } from "@/lib/core/errors";
import { getDb } from "@/lib/db/database";

export const metadata: Metadata = { title: "Edit alert rule" };

/** One rule in the editor; saving replaces it whole (PUT). */
export default async function EditRulePage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageViewer("admin");
  const id = Number((await params).id);
  if (!Number.isInteger(id) || id <= 0 || id > 2_147_483_647) notFound();
  const db = await getDb();
  const [rule, clients, channels] = await Promise.all([
    getRule(db, id).catch((err: unknown) => {
      if (err instanceof AppError && err.code === "not_found") notFound();
      throw err;
    }),
    listClientChoices(db),
    listChannels(db),
  ]);
  return <RuleEditor rule={rule} clients={clients} channels={channels} />;
}
