import type { Db } from "@/lib/db/database";
import { upsertClientBySlug } from "@/lib/clients";
import { ensureUser } from "@/lib/accounts/users";
import { createDemoSource, GeneratedSource, startFakeN8n, type FakeN8n } from "@/lib/n8n/fake";

export const DEMO_CLIENT_SLUG = "demo-agency";
export const SECOND_DEMO_CLIENT_SLUG = "northwind-retail";
const DEMO_API_KEY = "demo-api-key";

/** Publicly known demo accounts, printed at start; demo mode only. */
export const DEMO_ACCOUNTS = {
  admin: { email: "admin@demo.flowscope.dev", password: "demo-admin-pass", role: "admin" },
  client: { email: "client@demo.flowscope.dev", password: "demo-client-pass", role: "client" },
} as const;

/**
 * Demo mode: two fake n8n servers run in this process with 30 days of generated history
 * that grows as time passes, registered as two clients (so a client user can be shown
 * that the other one is out of reach). Their data enters through the real collection
 * path (the scheduler's syncs), never by direct inserts.
 *
 * Each server takes a free port on 127.0.0.1 at every start: a test finds it as the
 * client's n8nBaseUrl (GET /api/v1/admin/clients as the demo admin) and drives the fake
 * through its /__fake/ control routes (fail or stop a workflow, add stuck executions;
 * lib/n8n/fake/control-routes.ts) with the header X-N8N-API-KEY: demo-api-key. The
 * controls live in memory: after a restart that followed their use, the fake serves
 * other ids than the demo database holds, so reset that database.
 */
export async function startDemo(db: Db): Promise<{ servers: FakeN8n[]; clientId: number }> {
  const main = await startFakeN8n({ apiKey: DEMO_API_KEY, source: createDemoSource() });
  const second = await startFakeN8n({
    apiKey: DEMO_API_KEY,
    source: new GeneratedSource({ seed: 7, executionsPerHour: 12, historyDays: 30 }),
  });
  // The ports change at each start; the upsert keeps the clients and their history.
  const client = await upsertClientBySlug(db, {
    slug: DEMO_CLIENT_SLUG,
    name: "Demo Agency",
    n8nBaseUrl: main.url,
    n8nApiKey: DEMO_API_KEY,
    concurrencyLimit: 12,
  });
  await upsertClientBySlug(db, {
    slug: SECOND_DEMO_CLIENT_SLUG,
    name: "Northwind Retail",
    n8nBaseUrl: second.url,
    n8nApiKey: DEMO_API_KEY,
  });
  await ensureUser(db, { ...DEMO_ACCOUNTS.admin, name: "Demo Admin", clientId: null });
  await ensureUser(db, { ...DEMO_ACCOUNTS.client, name: "Demo Client", clientId: client.id });
  return { servers: [main, second], clientId: client.id };
}
