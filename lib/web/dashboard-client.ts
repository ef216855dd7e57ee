import "server-only";
import { cache } from "react";
import { findPageClient } from "@/lib/accounts/page-guard";

/** What the dashboard shows of a client: explicit fields, never the n8n API key. */
export interface DashboardClient {
  id: number;
  name: string;
  slug: string;
  active: boolean;
  /** IANA zone of the client's day, week and month figures: every time on its pages is shown in it. */
  timeZone: string;
  /** Operators and admins may go back to the list of every client; client users may not. */
  viewerSeesAll: boolean;
}

/**
 * The client behind a dashboard URL, or null when it does not exist or is outside the
 * viewer's scope (signed-out visitors are sent to sign-in). Wrapped in React's cache so
 * the layout and the tab page of one request look it up once.
 */
export const getDashboardClient = cache(async (slug: string): Promise<DashboardClient | null> => {
  const found = await findPageClient(slug);
  if (!found) return null;
  const { client, viewer } = found;
  return {
    id: client.id,
    name: client.name,
    slug: client.slug,
    active: client.active,
    timeZone: client.timeZone,
    viewerSeesAll: viewer.role !== "client",
  };
});
