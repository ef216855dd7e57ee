import { env } from "@/lib/env";
import { getDb } from "@/lib/db/client";
import { slugify, upsertClientBySlug } from "@/lib/clients";
import { syncAllClients } from "@/lib/collect";
import { startDemo } from "@/lib/demo/start-demo";
import { schedulerMode, startInProcessScheduler } from "@/lib/scheduler/in-process";

const state = globalThis as unknown as { flowscopeStarted?: boolean };

/**
 * What the server does once at start (instrumentation.ts): open the database (applying
 * migrations), register the demo and the N8N_BASE_URL clients, start the in-process
 * scheduler when Inngest is not configured, and collect once right away.
 */
export async function startServerBackground(): Promise<void> {
  if (state.flowscopeStarted) return;
  state.flowscopeStarted = true;

  const db = await getDb();
  if (env.FLOWSCOPE_DEMO) {
    const demo = await startDemo(db);
    console.log(`[flowscope] demo mode: fake n8n at ${demo.server.url}`);
  }
  if (env.N8N_BASE_URL && env.N8N_API_KEY) {
    await upsertClientBySlug(db, {
      slug: slugify(env.N8N_CLIENT_NAME),
      name: env.N8N_CLIENT_NAME,
      n8nBaseUrl: env.N8N_BASE_URL,
      n8nApiKey: env.N8N_API_KEY,
    });
  }

  if (schedulerMode() !== "in-process") return;
  startInProcessScheduler();
  // The first collection does not wait for the first cron tick.
  void syncAllClients(db, { trigger: "startup" }).then(
    (outcomes) => {
      for (const o of outcomes) {
        if (o.ok) console.log(`[flowscope] startup sync of client ${o.clientId}: ${o.executionsNew} new executions`);
        else console.error(`[flowscope] startup sync of client ${o.clientId} failed: ${o.error}`);
      }
    },
    (err) => console.error("[flowscope] startup sync failed", err),
  );
}
