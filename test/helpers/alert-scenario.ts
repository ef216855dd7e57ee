import { desc, eq } from "drizzle-orm";
import type { Db } from "@/lib/db/database";
import { alertEvents, alerts, clients, syncRuns, type Client } from "@/lib/db/schema";
import { syncClient } from "@/lib/ingest/collect";
import { n8nApiKeyOf } from "@/lib/clients/connection";
import { N8nClient } from "@/lib/n8n";
import { InMemorySource, startFakeN8n, type FakeN8n } from "@/lib/n8n/fake";
import type { FakeExecutionInput, FakeWorkflowInput } from "@/lib/n8n/fake/types";
import { AlertRuleInput } from "@/lib/alerts/rules";
import { createRule } from "@/lib/alerts/rule-store";
import { evaluateAlerts } from "@/lib/alerts/evaluate";
import { MINUTE_MS } from "@/lib/core/time";
import { createClient } from "./factories";

/**
 * One client on a fake n8n with a clock the test moves: executions are added as time
 * passes, synced at the clock's time (the sync's run is stamped at it, as if it had run
 * then), and the alert rules evaluated at it.
 */
export async function alertScenario(db: Db, opts: { start: Date; workflows: FakeWorkflowInput[] }) {
  let now = opts.start;
  const apiKey = "alerts-test-key";
  const source = new InMemorySource({ workflows: opts.workflows });
  const server: FakeN8n = await startFakeN8n({ apiKey, source, now: () => now });
  const client: Client = await createClient(db, { n8nBaseUrl: server.url, n8nApiKey: apiKey, timeZone: "UTC" });
  let nextId = 1;

  const connect = (c: Client) =>
    new N8nClient({ baseUrl: c.n8nBaseUrl, apiKey: n8nApiKeyOf(c), sleep: async () => {}, maxRetries: 0 });

  return {
    client,
    source,
    server,
    get now() {
      return now;
    },
    /** Moves the clock (never backwards). */
    at(t: Date) {
      if (t < now) throw new Error("the scenario's clock only moves forward");
      now = t;
    },
    advance(minutes: number) {
      now = new Date(now.getTime() + minutes * MINUTE_MS);
    },
    /** Executions of `workflowId` every `everyMinutes` in [from, to), as `make` says. */
    runs(
      workflowId: string,
      from: Date,
      to: Date,
      everyMinutes: number,
      make: (t: Date, i: number) => Partial<FakeExecutionInput> = () => ({}),
    ) {
      const added: number[] = [];
      let i = 0;
      for (let t = from.getTime(); t < to.getTime(); t += everyMinutes * MINUTE_MS, i++) {
        const startedAt = new Date(t);
        const extra = make(startedAt, i);
        const durationMs = 1000;
        const id = nextId++;
        source.addExecutions({
          id,
          workflowId,
          status: "success",
          startedAt,
          stoppedAt: new Date(t + durationMs),
          ...extra,
        });
        added.push(id);
      }
      return added;
    },
    /** A new execution id, for executions added by hand. */
    nextId: () => nextId++,
    /** Syncs at the clock's time; a failed sync is recorded as failed and not thrown. */
    async sync(): Promise<boolean> {
      let ok = true;
      try {
        await syncClient(db, { clientId: client.id, trigger: "manual", now, connect });
      } catch {
        ok = false;
      }
      const [run] = await db
        .select({ id: syncRuns.id })
        .from(syncRuns)
        .where(eq(syncRuns.clientId, client.id))
        .orderBy(desc(syncRuns.id))
        .limit(1);
      await db
        .update(syncRuns)
        .set({ startedAt: now, finishedAt: new Date(now.getTime() + 1000) })
        .where(eq(syncRuns.id, run!.id));
      return ok;
    },
    rule: (input: Record<string, unknown>) =>
      createRule(db, AlertRuleInput.parse({ clientId: client.id, ...input }), null),
    /** Evaluates at the clock's time, a second after the sync stamped there finished. */
    evaluate: () => evaluateAlerts(db, { now: new Date(now.getTime() + 2000), clientId: client.id }),
    /** Stops the fake n8n, and the client is no longer watched: all-clients rules of later tests skip it. */
    close: async () => {
      await server.close();
      await db.update(clients).set({ active: false }).where(eq(clients.id, client.id));
    },
  };
}

/** Every episode of a rule with its events, oldest first. */
export async function episodesOf(db: Db, ruleId: number) {
  const rows = await db.select().from(alerts).where(eq(alerts.ruleId, ruleId)).orderBy(alerts.id);
  const events = await db.select().from(alertEvents).orderBy(alertEvents.at, alertEvents.id);
  return rows.map((a) => ({ ...a, events: events.filter((e) => e.alertId === a.id).map((e) => e.kind) }));
}
