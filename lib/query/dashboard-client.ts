import "server-only";
import { cache } from "react";
import { getDb } from "@/lib/db/client";
import { findClientBySlug } from "@/lib/clients/queries";

/** What the dashboard shows of a client: explicit fields, never the n8n API key. */
export interface DashboardClient {
  id: number;
  name: string;
  slug: string;
  active: boolean;
}

/**
 * The client behind a dashboard URL, or null. Wrapped in React's cache so the layout
 * and the tab page of one request look it up once.
 */
export const getDashboardClient = cache(async (slug: string): Promise<DashboardClient | null> => {
  const row = await findClientBySlug(await getDb(), slug);
  return row ? { id: row.id, name: row.name, slug: row.slug, active: row.active } : null;
});
