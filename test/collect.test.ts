import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq, sql } from "drizzle-orm";
import type { DatabaseHandle } from "@/lib/db/database";
import { clients, executions, rollups, syncRuns, workflows } from "@/lib/db/schema";
import { syncAllClients } from "@/lib/ingest/collect";
import { InMemorySource, type FakeExecutionInput } from "@/lib/n8n/fake";
import { createTestDatabase } from "./helpers/db";
import { createClient } from "./helpers/factories";
import { syncHarness } from "./helpers/sync-harness";

const KEY = "test-key";
const HOUR = 3_600_000;
const NOW = new Date("2026-11-20T12:00:00Z");
const at = (hoursAgo: number) => new Date(NOW.getTime() - hoursAgo * HOUR);

let handle: DatabaseHandle;
const { setup, connect: fastRetries, sync, close } = syncHarness(() => handle.db, { apiKey: KEY, now: NOW });
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => {
  await close();
  await handle.close();
});

const WORKFLOWS = [
  { id: "1", name: "Invoice sync", tags: ["finance"], settings: { timeSavedPerExecution: 3 } },
  { id: "2", name: "TEST - webhook playground" },
  { id: "3", name: "Lead intake", tags: ["staging"] },
];

/** `n` finished executions, newest id first in time order: id i started i minutes after the oldest. */
function finishedExecutions(n: number, firstId = 1, hoursAgo = 48): FakeExecutionInput[] {
  return Array.from({ length: n }, (_, i) => {
    const startedAt = new Date(at(hoursAgo).getTime() + i * 60_000);
    return {
      id: firstId + i,
      workflowId: WORKFLOWS[i % 3].id,
      status: i % 10 === 0 ? "error" : "success",
      mode: i % 7 === 0 ? "manual" : "trigger",
      startedAt,
      stoppedAt: new Date(startedAt.getTime() + 1000 + i),
    };
  });
}

const storedRows = (clientId: number) =>
  handle.db.select().from(executions).where(eq(executions.clientId, clientId)).orderBy(asc(executions.n8nExecutionId));

describe("syncClient", () => {
  it("backfills everything on the first sync, classified, with a recorded run", async () => {
    const { client } = await setup(new InMemorySource({ workflows: WORKFLOWS, executions: finishedExecutions(600) }));
    const run = await sync(client);

    expect(run).toMatchObject({
      pages: 3,
      workflowsSeen: 3,
      executionsSeen: 600,
      executionsNew: 600,
      executionsUpdated: 0,
    });
    const rows = await storedRows(client.id);
    expect(rows.map((r) => r.n8nExecutionId)).toEqual(Array.from({ length: 600 }, (_, i) => i + 1));

    const byId = new Map(rows.map((r) => [r.n8nExecutionId, r]));
    expect(byId.get(1)).toMatchObject({
      mode: "manual",
      isProduction: false,
      exclusionReason: "manual",
      status: "error",
    });
    expect(byId.get(2)).toMatchObject({ isProduction: false, exclusionReason: "test-name:test", durationMs: 1001 });
    expect(byId.get(3)).toMatchObject({ isProduction: false, exclusionReason: "tag:staging" });
    expect(byId.get(4)).toMatchObject({ isProduction: true, exclusionReason: null, durationMs: 1003 });
    const excluded = rows.filter((r) => !r.isProduction).length;
    expect(run.executionsExcluded).toBe(excluded);

    const [recorded] = await handle.db.select().from(syncRuns).where(eq(syncRuns.id, run.runId));
    expect(recorded).toMatchObject({ function: "sync-client", status: "success", executionsNew: 600, pages: 3 });
    // The phases, the LLM step and the time between them add up to the run's duration.
    const { total, ...phases } = recorded.phaseMs;
    expect(Object.keys(phases)).toEqual(expect.arrayContaining(["fetch", "classify", "store", "llm", "rollup"]));
    const sum = Object.values(phases).reduce((a, b) => a + (b ?? 0), 0);
    expect(Math.abs(sum - (total ?? 0))).toBeLessThanOrEqual(Object.keys(phases).length);
    const [c] = await handle.db.select().from(clients).where(eq(clients.id, client.id));
    expect(c.historyCompleteAt).not.toBeNull();

    // Rollups hold the production executions only.
    const [day] = await handle.db
      .select({ total: sql<number>`sum(${rollups.total})::int` })
      .from(rollups)
      .where(and(eq(rollups.clientId, client.id), eq(rollups.granularity, "day")));
    expect(day.total).toBe(600 - excluded);
  });

  it("changes nothing when the same data is synced again", async () => {
    const { client } = await setup(new InMemorySource({ workflows: WORKFLOWS, executions: finishedExecutions(300) }));
    await sync(client);
    const before = await storedRows(client.id);
    const second = await sync(client);

    expect(second).toMatchObject({ executionsNew: 0, executionsUpdated: 0 });
    expect(await storedRows(client.id)).toEqual(before);
    const [wfCount] = await handle.db
      .select({ n: sql<number>`count(*)::int` })
      .from(workflows)
      .where(eq(workflows.clientId, client.id));
    expect(wfCount.n).toBe(3);
  });

  it("stops paging where the ledger says everything below has been read", async () => {
    const source = new InMemorySource({ workflows: WORKFLOWS, executions: finishedExecutions(1000, 1, 200) });
    const { server, client } = await setup(source);
    await sync(client);
    source.addExecutions(...finishedExecutions(10, 1001, 1));
    const before = server.requests.length;
    const run = await sync(client);

    // Page 1 holds the 10 new ones and reaches the read span under them: stop there.
    expect(run).toMatchObject({ executionsNew: 10, pages: 1 });
    const listCalls = server.requests.slice(before).filter((r) => r.path === "/api/v1/executions");
    // Of 5 pages, at most one more than processed is requested (the next page is prefetched).
    expect(listCalls.length).toBeLessThanOrEqual(2);
  });

  it("picks up executions that were running (hidden) and finish later under a lower id", async () => {
    const source = new InMemorySource({
      workflows: WORKFLOWS,
      executions: [
        ...finishedExecutions(20, 1, 3),
        { id: 21, workflowId: "1", status: "running", startedAt: at(1), stoppedAt: null },
        { id: 22, workflowId: "1", status: "waiting", startedAt: at(1), stoppedAt: at(0.9), waitTill: at(-1) },
        ...finishedExecutions(5, 23, 0.5),
      ],
    });
    const { client } = await setup(source);
    await sync(client);
    let rows = await storedRows(client.id);
    // Hidden from the list, found by asking for the id the list skipped.
    expect(rows.find((r) => r.n8nExecutionId === 21)).toMatchObject({ status: "running", durationMs: null });
    expect(rows.find((r) => r.n8nExecutionId === 22)).toMatchObject({ status: "waiting", durationMs: null });

    source.updateExecution(21, { status: "success", stoppedAt: at(0.2), finished: true });
    source.updateExecution(22, { status: "error", stoppedAt: at(0.1), waitTill: null });
    const run = await sync(client);

    expect(run).toMatchObject({ executionsNew: 0, executionsUpdated: 2 });
    rows = await storedRows(client.id);
    expect(rows.find((r) => r.n8nExecutionId === 21)).toMatchObject({ status: "success", durationMs: 0.8 * HOUR });
    expect(rows.find((r) => r.n8nExecutionId === 22)).toMatchObject({ status: "error", durationMs: 0.9 * HOUR });
  });

  it("re-reads a stored unfinished execution, however old, and marks one n8n pruned as unknown", async () => {
    const source = new InMemorySource({
      workflows: WORKFLOWS,
      executions: [
        { id: 1, workflowId: "1", status: "waiting", startedAt: at(100), stoppedAt: at(99) },
        { id: 2, workflowId: "1", status: "waiting", startedAt: at(100), stoppedAt: at(99) },
        ...finishedExecutions(300, 3, 90),
      ],
    });
    const { client } = await setup(source);
    await sync(client);
    source.updateExecution(1, { status: "success", stoppedAt: at(50), finished: true });
    source.removeExecution(2);
    await sync(client);

    const rows = await storedRows(client.id);
    expect(rows[0]).toMatchObject({ n8nExecutionId: 1, status: "success", durationMs: 50 * HOUR });
    expect(rows[1]).toMatchObject({ n8nExecutionId: 2, status: "unknown" });
  });

  it("completes despite 500s, 429 with Retry-After and a truncated page", async () => {
    const source = new InMemorySource({ workflows: WORKFLOWS, executions: finishedExecutions(600) });
    const { server, client } = await setup(source);
    const waits: number[] = [];
    server.faults
      .serverErrors(2, 502, { path: "/api/v1/executions" })
      .rateLimit(1, 2, { path: "/api/v1/executions" })
      .truncated(1, { path: "/api/v1/executions" });
    const run = await sync(client, {
      connect: (c) => fastRetries(c, { sleep: async (ms: number) => void waits.push(ms) }),
    });

    expect(run.executionsNew).toBe(600);
    expect(server.faults.fired).toMatchObject({ serverError: 2, rateLimit: 1, truncated: 1 });
    expect(waits).toContainEqual(expect.any(Number));
    expect(Math.max(...waits)).toBeGreaterThanOrEqual(2000);
    expect((await storedRows(client.id)).length).toBe(600);
  });

  it("resumes an interrupted first backfill instead of stopping at the pages it already has", async () => {
    const { client } = await setup(new InMemorySource({ workflows: WORKFLOWS, executions: finishedExecutions(1000) }));
    let listCalls = 0;
    const failingFetch: typeof fetch = async (input, init) => {
      if (String(input).includes("/executions") && ++listCalls === 3) throw new TypeError("fetch failed");
      return fetch(input, init);
    };
    await expect(
      sync(client, { connect: (c) => fastRetries(c, { fetch: failingFetch, maxRetries: 0 }) }),
    ).rejects.toThrow();
    expect((await storedRows(client.id)).length).toBe(500);

    const run = await sync(client);
    expect(run.executionsNew).toBe(500);
    expect((await storedRows(client.id)).length).toBe(1000);
  });

  it("re-classifies the history of a workflow renamed into a test workflow", async () => {
    const source = new InMemorySource({ workflows: WORKFLOWS, executions: finishedExecutions(30) });
    const { client } = await setup(source);
    await sync(client);
    source.updateWorkflow("1", { name: "Invoice sync (debug)" });
    await sync(client);

    const rows = await storedRows(client.id);
    const wf1 = rows.filter((r) => r.mode !== "manual" && r.n8nExecutionId % 3 === 1);
    expect(wf1.length).toBeGreaterThan(0);
    expect(wf1.every((r) => r.exclusionReason === "test-name:debug" && !r.isProduction)).toBe(true);
  });
});

describe("syncAllClients", () => {
  it("records one client's failure and still syncs the others", async () => {
    const { client: good } = await setup(
      new InMemorySource({ workflows: WORKFLOWS, executions: finishedExecutions(5) }),
    );
    const bad = await createClient(handle.db, { n8nBaseUrl: good.n8nBaseUrl, n8nApiKey: "wrong-key" });
    const outcomes = await syncAllClients(handle.db, { trigger: "manual" });

    expect(outcomes.find((o) => o.clientId === bad.id)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/API key/i),
    });
    expect(outcomes.find((o) => o.clientId === good.id)).toMatchObject({ ok: true, executionsNew: 5 });
    const [badRun] = await handle.db.select().from(syncRuns).where(eq(syncRuns.clientId, bad.id));
    expect(badRun).toMatchObject({ status: "error", error: expect.stringMatching(/API key/i) });
    expect(badRun.finishedAt).not.toBeNull();
  });
});

describe("syncClient: text from n8n that PostgreSQL cannot store", () => {
  it("syncs a workflow whose name holds NUL and a lone surrogate, storing the cleaned name", async () => {
    const source = new InMemorySource({
      workflows: [{ id: "1", name: "Invoice\u0000 sync \ud800", tags: ["fin\u0000ance"] }],
      executions: finishedExecutions(3).map((e) => ({
        ...e,
        workflowId: "1",
        customData: { "order\u0000Id": "4\u00002" },
      })),
    });
    const { client } = await setup(source);
    const run = await sync(client);

    expect(run).toMatchObject({ workflowsSeen: 1, executionsNew: 3 });
    const [stored] = await handle.db.select().from(workflows).where(eq(workflows.clientId, client.id));
    expect(stored.name).toBe("Invoice sync \ufffd");
    expect(stored.tags).toEqual(["finance"]);
    expect((await storedRows(client.id)).length).toBe(3);
  });
});
