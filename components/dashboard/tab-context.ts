import "server-only";
import { notFound } from "next/navigation";
import { getDashboardClient, type DashboardClient } from "@/lib/web/dashboard-client";
import type { FetchContext } from "@/lib/web/fetch-json";
import type { DashboardQuery } from "@/lib/web/range";
import { parseDashboardSearch, type ParsedSearch, type SearchParams } from "@/lib/web/search-params";
import { serverFetchContext } from "@/lib/web/server-context";

export interface TabProps {
  params: Promise<{ slug: string }>;
  searchParams: Promise<SearchParams>;
}

export interface TabContext extends ParsedSearch {
  client: DashboardClient;
  q: DashboardQuery;
  ctx: FetchContext;
}

/**
 * What every tab page starts with: the client (an unknown slug is a 404 rendered by
 * this segment's not-found.tsx), the range from the URL, and the server fetch context.
 */
export async function loadTab({ params, searchParams }: TabProps): Promise<TabContext> {
  const [{ slug }, search] = await Promise.all([params, searchParams]);
  const client = await getDashboardClient(slug);
  if (!client) notFound();
  const parsed = parseDashboardSearch(search);
  return { ...parsed, client, q: { clientId: client.id, range: parsed.range }, ctx: await serverFetchContext() };
}
