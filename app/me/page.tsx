import { redirect } from "next/navigation";
import { OPERATORS_ONLY, requirePageViewer } from "@/lib/accounts/page-guard";
import { getClientOrThrow } from "@/lib/clients/queries";
import { getDb } from "@/lib/db/database";

/** A client user's own metrics: their client's dashboard. Operators land on the overview. */
export default async function MyMetricsPage({
  searchParams,
}: {
  searchParams: Promise<{ notice?: string | string[] }>;
}): Promise<never> {
  const viewer = await requirePageViewer("viewer");
  if (viewer.clientId === null) redirect("/");
  const client = await getClientOrThrow(await getDb(), viewer.clientId);
  // Sent here from an operator page: the dashboard says why.
  const notice = (await searchParams).notice === OPERATORS_ONLY ? `?notice=${OPERATORS_ONLY}` : "";
  redirect(`/clients/${client.slug}${notice}`);
}
