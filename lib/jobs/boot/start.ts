import { env, insecureDefaultsAllowed } from "@/lib/core/env";
import { logError } from "@/lib/core/log";
import { authSecret } from "@/lib/accounts/auth";
import { getDatabase } from "@/lib/db/database";
import { slugify, upsertClientBySlug } from "@/lib/clients";
import { syncAllClients } from "@/lib/ingest/collect";
import { DEMO_ACCOUNTS, startDemo } from "@/lib/jobs/boot/demo";
import { reencryptApiKeys } from "@/lib/clients/connection";
import { ensureUser } from "@/lib/accounts/users";
import { failExpiredRuns, failInterruptedRuns } from "@/lib/runs/record";
import { appEncryptionKey } from "@/lib/core/secrets/app-key";
import { schedulerMode, startInProcessScheduler } from "@/lib/jobs/scheduler";
import { startResourceSampler } from "@/lib/telemetry/sampler";
import { flushMetricsOnShutdown } from "@/lib/telemetry/shutdown";

const state = globalThis as unknown as { flowscopeStarted?: boolean };

/**
 * Secrets the app must not run without outside demo and development. Throws with the
 * variable's name and how to make one; instrumentation.ts then stops the process.
 */
export function assertRequiredSecrets(): void {
  appEncryptionKey();
  authSecret();
  // Cloud Inngest calls /api/inngest; without the signing key it could not tell Inngest
  // from anyone else, so production does not run that way.
  if (!insecureDefaultsAllowed && env.INNGEST_EVENT_KEY && !env.INNGEST_SIGNING_KEY) {
    throw new Error("INNGEST_SIGNING_KEY is required when INNGEST_EVENT_KEY is set outside demo and development");
  }
}

/**
 * What the server does once at start (instrumentation.ts): open the database (applying
 * migrations), register the demo and the N8N_BASE_URL clients, start the in-process
 * scheduler when Inngest is not configured, and collect once right away.
 */
export async function startServerBackground(): Promise<void> {
  if (state.flowscopeStarted) return;
  state.flowscopeStarted = true;

  const { db, driver } = await getDatabase();
  // n8n keys stored before encryption existed are encrypted now, under the current key.
  const encrypted = await reencryptApiKeys(db, null, appEncryptionKey());
  if (encrypted > 0) console.log(`[flowscope] encrypted ${encrypted} stored n8n API key(s)`);
  if (env.ADMIN_EMAIL && env.ADMIN_PASSWORD) {
    const outcome = await ensureUser(db, {
      email: env.ADMIN_EMAIL,
      password: env.ADMIN_PASSWORD,
      role: "admin",
      clientId: null,
    });
    if (outcome === "created") console.log(`[flowscope] created the first admin ${env.ADMIN_EMAIL}`);
  }
  if (env.FLOWSCOPE_DEMO) {
    const demo = await startDemo(db);
    console.log(`[flowscope] demo mode: fake n8n at ${demo.servers.map((s) => s.url).join(", ")}`);
    console.log(`[flowscope] demo sign-in: admin ${DEMO_ACCOUNTS.admin.email} / ${DEMO_ACCOUNTS.admin.password}`);
    console.log(
      `[flowscope] demo sign-in: client user ${DEMO_ACCOUNTS.client.email} / ${DEMO_ACCOUNTS.client.password}`,
    );
  }
  if (env.N8N_BASE_URL && env.N8N_API_KEY) {
    await upsertClientBySlug(db, {
      slug: slugify(env.N8N_CLIENT_NAME),
      name: env.N8N_CLIENT_NAME,
      n8nBaseUrl: env.N8N_BASE_URL,
      n8nApiKey: env.N8N_API_KEY,
    });
  }

  // Runs whose process died (this server's last life, a killed CLI, a lost worker) and
  // whose lease has run out; one still within its lease is failed by whoever looks next.
  // On the embedded database this process holds the folder lock, so no other process can
  // be running anything: every running run is dead, whatever its lease says.
  const expired = await failExpiredRuns(db, new Date(), driver === "pglite" ? { leaseMs: 0 } : {});
  if (expired > 0) console.log(`[flowscope] marked ${expired} run(s) whose process stopped as failed`);

  // About this process, whichever runs the jobs: every server samples its own resources.
  startResourceSampler(db, env.SYSTEM_METRICS_SAMPLE_SECONDS);
  flushMetricsOnShutdown(db);

  if (schedulerMode() !== "in-process") return;
  // This process runs the jobs: runs still queued waited in the last one's memory.
  const interrupted = await failInterruptedRuns(db, new Date());
  if (interrupted > 0) console.log(`[flowscope] marked ${interrupted} queued run(s) of the stopped server as failed`);
  startInProcessScheduler();
  // The first collection does not wait for the first cron tick.
  void syncAllClients(db, { trigger: "startup" }).then(
    (outcomes) => {
      for (const o of outcomes) {
        if (o.ok) console.log(`[flowscope] startup sync of client ${o.clientId}: ${o.executionsNew} new executions`);
        else console.error(`[flowscope] startup sync of client ${o.clientId} failed: ${o.error}`);
      }
    },
    (err) => logError("[flowscope] startup sync failed", err),
  );
}
