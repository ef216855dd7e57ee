import "server-only";
import { notFound } from "next/navigation";
import { getDashboardClient, type DashboardClient } from "@/lib/query/dashboard-client";
import type { FetchContext } from "@/lib/query/fetch-json";
import type { DashboardQuery } from "@/lib/query/range";
import { parseDashboardSearch, type ParsedSearch, type SearchParams } from "@/lib/query/search-params";
import { serverFetchContext } from "@/lib/query/server-context";

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
