import type { Db } from "@/lib/db/database";
import type { Client } from "@/lib/db/schema";
import { syncClient } from "@/lib/ingest/collect";
import { n8nApiKeyOf } from "@/lib/clients/connection";
import { N8nClient, type N8nClientOptions } from "@/lib/n8n";
import { startFakeN8n, type FakeN8n, type FakeSource } from "@/lib/n8n/fake";
import { createClient } from "./factories";

type SyncOptions = Parameters<typeof syncClient>[1];

/**
 * Clients on fake n8n servers, synced at a fixed `now` through connections that retry
 * without waiting, so fault tests do not sit out real backoff. `close()` stops the servers.
 */
export function syncHarness(db: () => Db, opts: { apiKey: string; now: Date }) {
  const servers: FakeN8n[] = [];
  const connect = (client: Client, extra: Partial<N8nClientOptions> = {}) =>
    new N8nClient({ baseUrl: client.n8nBaseUrl, apiKey: n8nApiKeyOf(client), sleep: async () => {}, ...extra });
  return {
    connect,
    async setup(source: FakeSource): Promise<{ server: FakeN8n; client: Client }> {
      const server = await startFakeN8n({ apiKey: opts.apiKey, source, now: () => opts.now });
      servers.push(server);
      const client = await createClient(db(), { n8nBaseUrl: server.url, n8nApiKey: opts.apiKey });
      return { server, client };
    },
    sync: (client: Client, extra: Partial<SyncOptions> = {}) =>
      syncClient(db(), { clientId: client.id, trigger: "manual", now: opts.now, connect: (c) => connect(c), ...extra }),
    close: () => Promise.all(servers.map((s) => s.close())),
  };
}
