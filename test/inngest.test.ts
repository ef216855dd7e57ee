import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { InngestTestEngine } from "@inngest/test";
import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "@/lib/db/database";
import { executions, rollups, syncRuns } from "@/lib/db/schema";
import * as jobs from "@/lib/jobs";
import { backfill } from "@/inngest/functions/backfill";
import { collect } from "@/inngest/functions/collect";
import { syncClientFn } from "@/inngest/functions/sync-client";
import { createTestDatabase } from "./helpers/db";
import { useAsAppDatabase } from "./helpers/app-db";
import { createClient, createWorkflow, insertExecutions } from "./helpers/factories";

// Call through to the real jobs, but record the arguments the functions pass.
vi.mock(import("@/lib/jobs"), async (original) => {
  const real = await original();
  return { ...real, runBackfillJob: vi.fn(real.runBackfillJob) };
});

/**
 * A minimal n8n (public API v1, see /work/shared/n8n/CONTRACT.md): one workflow with two
 * finished executions, served to the right API key; any other key gets 401.
 */
const API_KEY = "inngest-test-key";
function startMiniN8n(): Promise<Server> {
  const at = (min: number) => new Date(Date.now() - min * 60_000).toISOString();
  const body: Record<string, unknown> = {
    "/api/v1/workflows": {
      data: [{ id: "wf1", name: "Invoices", active: true, createdAt: at(600), updatedAt: at(600), nodes: [] }],
      nextCursor: null,
    },
    "/api/v1/executions": {
      data: [2, 1].map((id) => ({
        id: String(id),
        finished: true,
        mode: "trigger",
        status: "success",
        workflowId: "wf1",
        startedAt: at(10 * id),
        stoppedAt: at(10 * id - 1),
      })),
      nextCursor: null,
    },
  };
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(value));
    };
    if (req.headers["x-n8n-api-key"] !== API_KEY) return json(401, { message: "unauthorized" });
    if (path in body) return json(200, body[path]);
    return json(404, { message: "not found" });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

let handle: DatabaseHandle;
let n8n: Server;
let n8nUrl: string;

beforeAll(async () => {
  handle = await createTestDatabase();
  useAsAppDatabase(handle);
  n8n = await startMiniN8n();
  n8nUrl = `http://127.0.0.1:${(n8n.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => n8n.close(resolve));
  await handle.close();
});

/** The engine keys step results by the SHA-1 of the step id. */
const stepKey = (id: string) => createHash("sha1").update(id).digest("hex");

const runsOf = (clientId: number, fn: "sync-client" | "backfill") =>
  handle.db
    .select()
    .from(syncRuns)
    .where(and(eq(syncRuns.clientId, clientId), eq(syncRuns.function, fn)));

describe("collect", () => {
  it("sends one sync event per active client", async () => {
    const db = handle.db;
    const [a, b, inactive] = await Promise.all([
      createClient(db),
      createClient(db),
      createClient(db, { active: false }),
    ]);
    // No Inngest server here: the send step is mocked (the engine's documented way), and
    // the spy on step.sendEvent still shows exactly what would have been sent.
    const { result, ctx } = await new InngestTestEngine({ function: collect }).execute({
      steps: [{ id: "request-client-syncs", handler: () => ({ ids: [] }) }],
    });

    expect(ctx.step.sendEvent).toHaveBeenCalledTimes(1);
    const [stepId, events] = ctx.step.sendEvent.mock.calls[0] as [
      string,
      Array<{ name: string; data: { clientId: number } }>,
    ];
    expect(stepId).toBe("request-client-syncs");
    expect(events.every((e) => e.name === "n8n/client.sync.requested")).toBe(true);
    const ids = events.map((e) => e.data.clientId);
    expect(ids).toEqual(await jobs.listActiveClientIds(db));
    expect(ids).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(ids).not.toContain(inactive.id);
    expect(result).toEqual({ clients: ids.length });
  });
});

describe("sync-client", () => {
  const engine = new InngestTestEngine({ function: syncClientFn });
  const event = (clientId: number) =>
    [{ name: "n8n/client.sync.requested", data: { clientId } }] as [{ name: string; data: { clientId: number } }];

  it("syncs the client named by the event and records the run", async () => {
    const client = await createClient(handle.db, { n8nBaseUrl: n8nUrl, n8nApiKey: API_KEY });
    // No Inngest server here: the send step is mocked (as for collect above).
    const { result, error, state, ctx } = await engine.execute({
      events: event(client.id),
      steps: [{ id: "evaluate-alerts", handler: () => ({ ids: [] }) }],
    });

    expect(error).toBeUndefined();
    // Then its alert rules, through the alerts function's event.
    expect(ctx.step.sendEvent.mock.calls[0]?.[1]).toMatchObject({
      name: "alerts/evaluation.requested",
      data: { clientId: client.id },
    });
    expect(result).toMatchObject({ executionsNew: 2, workflowsSeen: 1 });
    await expect(state[stepKey("sync-client")]).resolves.toMatchObject({ executionsNew: 2 });
    const [{ n }] = await handle.db.select({ n: count() }).from(executions).where(eq(executions.clientId, client.id));
    expect(n).toBe(2);
    const [run] = await runsOf(client.id, "sync-client");
    expect(run).toMatchObject({ status: "success", trigger: "event", executionsNew: 2 });
  });

  it("fails the run (so Inngest retries) and records the error", async () => {
    const client = await createClient(handle.db, { n8nBaseUrl: n8nUrl, n8nApiKey: "wrong-key" });
    const { result, error } = await engine.execute({ events: event(client.id) });

    expect(result).toBeUndefined();
    expect(error).toBeDefined();
    const [run] = await runsOf(client.id, "sync-client");
    expect(run.status).toBe("error");
    expect(run.error).toMatch(/API key/);
  });
});

describe("backfill", () => {
  it("passes clientId, days, dryRun and granularities through, and a dry run writes nothing", async () => {
    const client = await createClient(handle.db);
    const wf = await createWorkflow(handle.db, client.id);
    await insertExecutions(handle.db, { clientId: client.id, workflowId: wf.id }, [
      { startedAt: new Date(Date.now() - 2 * 86_400_000) },
    ]);
    const data = { clientId: client.id, days: 7, dryRun: true, granularities: ["day" as const] };
    const { error } = await new InngestTestEngine({ function: backfill }).execute({
      events: [{ name: "rollups/backfill.requested", data }],
    });

    expect(error).toBeUndefined();
    expect(jobs.runBackfillJob).toHaveBeenCalledWith(handle.db, { trigger: "event", ...data });
    const [run] = await runsOf(client.id, "backfill");
    expect(run.status).toBe("success");
    const [{ n }] = await handle.db.select({ n: count() }).from(rollups).where(eq(rollups.clientId, client.id));
    expect(n).toBe(0);
  });

  it("rejects a payload that does not match the event schema", async () => {
    const { result, error } = await new InngestTestEngine({ function: backfill }).execute({
      events: [{ name: "rollups/backfill.requested", data: { days: -1 } }],
    });
    expect(result).toBeUndefined();
    expect(error).toBeDefined();
  });
});
