import type { Metadata } from "next";
import { RuleEditor } from "@/components/admin/alerts/rule-editor";
import { requirePageViewer } from "@/lib/accounts/page-guard";
import { listClientChoices } from "@/lib/accounts/users";
import { listChannels } from "@/lib/alerts/channels";
import { getDb } from "@/lib/db/database";

export const metadata: Metadata = { title: "New alert rule" };

/** A new rule, tried against history before it is saved. */
export default async function NewRulePage() {
  await requirePageViewer("admin");
  const db = await getDb();
  const [clients, channels] = await Promise.all([listClientChoices(db), listChannels(db)]);
  return <RuleEditor clients={clients} channels={channels} />;
}
