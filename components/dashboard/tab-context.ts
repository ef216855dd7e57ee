import "server-only";
import { notFound } from "next/navigation";
import { getDashboardClient, type DashboardClient } from "@/lib/web/dashboard-client";
import type { DashboardQuery } from "@/lib/web/range";
import { parseDashboardSearch, type ParsedSearch, type SearchParams } from "@/lib/web/search-params";

export interface TabProps {
  params: Promise<{ slug: string }>;
  searchParams: Promise<SearchParams>;
}

export interface TabContext extends ParsedSearch {
  client: DashboardClient;
  q: DashboardQuery;
}

/**
 * What every tab page starts with: the client (an unknown slug is a 404 rendered by
 * this segment's not-found.tsx) and the range from the URL. Looking the client up is the
 * page's guard (viewer, scoped to the client): the tab's server queries come after it.
 */
export async function loadTab({ params, searchParams }: TabProps): Promise<TabContext> {
  const [{ slug }, search] = await Promise.all([params, searchParams]);
  const client = await getDashboardClient(slug);
  if (!client) notFound();
  const parsed = parseDashboardSearch(search, client.timeZone);
  return { ...parsed, client, q: { clientId: client.id, range: parsed.range, timeZone: client.timeZone } };
}
