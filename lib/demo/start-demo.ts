import type { Db } from "@/lib/db/client";
import { upsertClientBySlug } from "@/lib/clients";
import { createDemoSource, startFakeN8n, type FakeN8n } from "@/lib/fake-n8n";

export const DEMO_CLIENT_SLUG = "demo-agency";
const DEMO_API_KEY = "demo-api-key";

/**
 * Demo mode: the fake n8n runs in this process with 30 days of generated history that
 * grows as time passes, and is registered as a client. Its data enters through the real
 * collection path (the scheduler's syncs), never by direct inserts.
 */
export async function startDemo(db: Db): Promise<{ server: FakeN8n; clientId: number }> {
  const server = await startFakeN8n({ apiKey: DEMO_API_KEY, source: createDemoSource() });
  // The port changes at each start; the upsert keeps the client and its history.
  const client = await upsertClientBySlug(db, {
    slug: DEMO_CLIENT_SLUG,
    name: "Demo Agency",
    n8nBaseUrl: server.url,
    n8nApiKey: DEMO_API_KEY,
    concurrencyLimit: 12,
  });
  return { server, clientId: client.id };
}
