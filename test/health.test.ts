import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/lib/db/database";
import { syncRuns } from "@/lib/db/schema";
import { type SyncFunction, type SyncStatus } from "@/lib/core/vocabulary";
import { collectIntervalSeconds } from "@/lib/jobs/schedule";
import { listClientsWithCounts } from "@/lib/metrics/status/client-stats";
import { getHealth, isStale } from "@/lib/metrics/status/health";
import { createTestDatabase } from "./helpers/db";
import { createClient, createWorkflow, insertExecutions } from "./helpers/factories";

let handle: DatabaseHandle;
const now = new Date();
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);

async function addRun(
  clientId: number,
  run: { fn?: SyncFunction; status: SyncStatus; startedMin: number; finishedMin?: number; error?: string },
) {
  await handle.db.insert(syncRuns).values({
    function: run.fn ?? "sync-client",
    trigger: "cron",
    clientId,
    status: run.status,
    startedAt: minutesAgo(run.startedMin),
    finishedAt: run.finishedMin === undefined ? null : minutesAgo(run.finishedMin),
    error: run.error ?? null,
  });
}

// fresh: synced 10 min ago. failing: last success 2 h ago, newest run failed.
// never: active, no run. paused: inactive, so not in /health.
let fresh: Awaited<ReturnType<typeof createClient>>;
let failing: typeof fresh;
let never: typeof fresh;
let paused: typeof fresh;

beforeAll(async () => {
  handle = await createTestDatabase();
  const db = handle.db;
  [fresh, failing, never, paused] = await Promise.all([
    createClient(db, { name: "A fresh" }),
    createClient(db, { name: "B failing" }),
    createClient(db, { name: "C never" }),
    createClient(db, { name: "D paused", active: false }),
  ]);
  const wf1 = await createWorkflow(db, fresh.id);
  await createWorkflow(db, fresh.id);
  await insertExecutions(db, { clientId: fresh.id, workflowId: wf1.id }, [
    { startedAt: minutesAgo(30) },
    { startedAt: minutesAgo(20) },
    { startedAt: minutesAgo(15), isProduction: false, exclusionReason: "manual" },
  ]);
  const wf2 = await createWorkflow(db, paused.id);
  await insertExecutions(db, { clientId: paused.id, workflowId: wf2.id }, [{ startedAt: minutesAgo(5) }]);

  await addRun(fresh.id, { status: "success", startedMin: 70, finishedMin: 69 });
  await addRun(fresh.id, { status: "success", startedMin: 11, finishedMin: 10 });
  // A newer run of another function must not count as a sync.
  await addRun(fresh.id, { fn: "rollup", status: "error", startedMin: 2, finishedMin: 1, error: "x" });
  await addRun(failing.id, { status: "success", startedMin: 121, finishedMin: 120 });
  await addRun(failing.id, { status: "error", startedMin: 5, finishedMin: 4, error: "n8n answered 401" });
});
afterAll(() => handle.close());

describe("listClientsWithCounts", () => {
  it("counts workflows, executions and production executions per client", async () => {
    const list = await listClientsWithCounts(handle.db);
    expect(list.map((c) => c.name)).toEqual(["A fresh", "B failing", "C never", "D paused"]);
    const [a, b, c, d] = list;
    expect(a).toMatchObject({ id: fresh.id, slug: fresh.slug, active: true, workflowCount: 2 });
    expect(a).toMatchObject({ executionCount: 3, productionExecutionCount: 2 });
    expect(a.lastSyncAt?.getTime()).toBe(minutesAgo(10).getTime());
    expect(a.lastRun?.status).toBe("success");
    expect(b.lastSyncAt?.getTime()).toBe(minutesAgo(120).getTime());
    expect(b.lastRun).toMatchObject({ status: "error", error: "n8n answered 401" });
    expect(c).toMatchObject({ workflowCount: 0, executionCount: 0, lastSyncAt: null, lastRun: null });
    expect(d).toMatchObject({ active: false, workflowCount: 1, executionCount: 1, productionExecutionCount: 1 });
  });

  it("never includes the n8n API key", async () => {
    const json = JSON.stringify(await listClientsWithCounts(handle.db));
    for (const c of [fresh, failing, never, paused]) expect(json).not.toContain(c.plainApiKey);
    expect(json).not.toMatch(/apiKey/i);
  });
});

describe("getHealth", () => {
  it("reports database, scheduler and per-client freshness", async () => {
    const health = await getHealth(handle.db, { driver: handle.driver, now });
    expect(health.database).toMatchObject({ ok: true, driver: handle.driver });
    // vitest sets FLOWSCOPE_SCHEDULER=off and no Inngest keys.
    expect(health.scheduler.mode).toBe("off");
    expect(health.scheduler.collectIntervalSeconds).toBe(900);
    expect(health.scheduler.jobs.map((j) => j.name)).toContain("collect");

    expect(health.clients.map((c) => c.id)).toEqual([fresh.id, failing.id, never.id]);
    const [a, b, c] = health.clients;
    expect(a).toMatchObject({ ageSeconds: 600, stale: false, executionCount: 3 });
    // Seeded rows without a sync: held, but the list has not been read to its end yet.
    expect(a.coverage).toMatchObject({ idsSeen: 3, idsMissing: 0, idsToRead: null, floorId: null, complete: false });
    expect(a.lastRun?.status).toBe("success");
    expect(b).toMatchObject({ ageSeconds: 7200, stale: true });
    expect(b.lastRun).toMatchObject({ status: "error", error: "n8n answered 401" });
    expect(c).toMatchObject({ ageSeconds: null, stale: true, lastSuccessAt: null });
    expect(health.status).toBe("degraded");

    const json = JSON.stringify(health);
    for (const k of [fresh, failing, never, paused]) expect(json).not.toContain(k.plainApiKey);
  });
});

describe("freshness", () => {
  it("is stale after two collect intervals, or when never synced", () => {
    const interval = collectIntervalSeconds(now);
    expect(isStale(minutesAgo(29), now, interval)).toBe(false);
    expect(isStale(minutesAgo(31), now, interval)).toBe(true);
    expect(isStale(null, now, interval)).toBe(true);
  });

  it("derives the interval from the cron spec", () => {
    // Default COLLECT_CRON is every 15 minutes.
    expect(collectIntervalSeconds(new Date("2026-01-01T00:07:00Z"))).toBe(900);
  });
});
