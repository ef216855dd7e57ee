import { redirect } from "next/navigation";
import { requirePageViewer } from "@/lib/accounts/page-guard";
import { getClientOrThrow } from "@/lib/clients/queries";
import { getDb } from "@/lib/db/database";

/** A client user's own metrics: their client's dashboard. Operators land on the overview. */
export default async function MyMetricsPage(): Promise<never> {
  const viewer = await requirePageViewer("viewer");
  if (viewer.clientId === null) redirect("/");
  const client = await getClientOrThrow(await getDb(), viewer.clientId);
  redirect(`/clients/${client.slug}`);
}
