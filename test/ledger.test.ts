/**
 * The coverage ledger (lib/ingest/collect/ledger.ts) against the fake n8n: nothing n8n still has
 * is lost whatever interrupts a sync, long runners are collected, and what n8n lost first
 * is reported per id.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { queryRows, type DatabaseHandle } from "@/lib/db/database";
import { clients, collectGaps, collectRanges, executions, rollupDirtyHours, syncRuns } from "@/lib/db/schema";
import { loadCoverage, missingInRange } from "@/lib/ingest/collect/coverage";
import { complement, withoutSpans } from "@/lib/ingest/collect/ledger";
import { InMemorySource, type FakeExecutionInput } from "@/lib/n8n/fake";
import { createTestDatabase } from "./helpers/db";
import { syncHarness } from "./helpers/sync-harness";

const KEY = "ledger-key";
const HOUR = 3_600_000;
const NOW = new Date("2026-11-20T12:00:00Z");
const at = (hoursAgo: number) => new Date(NOW.getTime() - hoursAgo * HOUR);
const WORKFLOWS = [
  { id: "1", name: "Invoice sync" },
  { id: "2", name: "Lead intake" },
];

let handle: DatabaseHandle;
const { setup, connect, sync, close } = syncHarness(() => handle.db, { apiKey: KEY, now: NOW });
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => {
  await close();
  await handle.close();
});

/** Ids first..first+n-1, one a minute, the newest `hoursAgo` hours before NOW at the latest. */
function finished(n: number, first: number, hoursAgo: number): FakeExecutionInput[] {
  return Array.from({ length: n }, (_, i) => {
    const startedAt = new Date(at(hoursAgo).getTime() + i * 60_000);
    return {
      id: first + i,
      workflowId: WORKFLOWS[i % 2].id,
      status: "success",
      startedAt,
      stoppedAt: new Date(startedAt.getTime() + 500),
    };
  });
}

/** A connection whose list request number `failAt` (and every later one while `down`) fails. */
function failingList(failAt: number) {
  let calls = 0;
  const state = { down: true };
  const fetchFn: typeof fetch = async (input, init) => {
    const url = String(input);
    if (/\/executions(\?|$)/.test(url) && ++calls >= failAt && state.down) throw new TypeError("fetch failed");
    return fetch(input, init);
  };
  return { fetchFn, state };
}

async function storedIds(clientId: number): Promise<number[]> {
  const rows = await handle.db
    .select({ id: executions.n8nExecutionId })
    .from(executions)
    .where(eq(executions.clientId, clientId))
    .orderBy(asc(executions.n8nExecutionId));
  return rows.map((r) => r.id);
}

const range = (lo: number, hi: number) => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);

describe("complement", () => {
  it("gives the ids of a span that a page did not list, as spans, highest first", () => {
    expect(complement({ lo: 1, hi: 10 }, [10, 7, 6, 2])).toEqual([
      { lo: 8, hi: 9 },
      { lo: 3, hi: 5 },
      { lo: 1, hi: 1 },
    ]);
    expect(complement({ lo: 5, hi: 6 }, [5, 6, 99])).toEqual([]);
  });

  it("subtracts recorded gaps as spans, so a page read twice records each gap once", () => {
    expect(
      withoutSpans(
        [{ lo: 1, hi: 1_000_000 }],
        [
          { lo: 10, hi: 20 },
          { lo: 999_990, hi: 2_000_000 },
        ],
      ),
    ).toEqual([
      { lo: 21, hi: 999_989 },
      { lo: 1, hi: 9 },
    ]);
    expect(withoutSpans([{ lo: 5, hi: 6 }], [{ lo: 1, hi: 10 }])).toEqual([]);
  });
});

describe("coverage ledger", () => {
  it("an interrupted catch-up sync loses nothing: the next one reads the hole behind the stored pages", async () => {
    const source = new InMemorySource({ workflows: WORKFLOWS, executions: finished(1000, 1, 300) });
    const { client } = await setup(source);
    await sync(client);
    source.addExecutions(...finished(6000, 1001, 120));

    // n8n fails (longer than the retries) on the 4th list page of the catch-up.
    const outage = failingList(4);
    await expect(
      sync(client, { connect: (c) => connect(c, { fetch: outage.fetchFn, maxRetries: 1 }) }),
    ).rejects.toThrow();
    const afterFault = await storedIds(client.id);
    expect(afterFault.length).toBeGreaterThan(1000);
    expect(afterFault.length).toBeLessThan(7000);
    const partial = await loadCoverage(handle.db, client.id);
    expect(partial.idsToRead).toBe(7000 - afterFault.length);
    expect(partial.complete).toBe(false);

    // Two ranges are recorded: the old history and the pages read before the fault.
    const spans = await handle.db.select().from(collectRanges).where(eq(collectRanges.clientId, client.id));
    expect(spans.map((s) => [s.lo, s.hi]).sort((a, b) => a[0] - b[0])).toEqual([
      [1, 1000],
      [7000 - (afterFault.length - 1000) + 1, 7000],
    ]);

    source.addExecutions(...finished(10, 7001, 1));
    const run = await sync(client);
    expect(run.executionsNew).toBe(7010 - afterFault.length);
    expect(await storedIds(client.id)).toEqual(range(1, 7010));
    const coverage = await loadCoverage(handle.db, client.id);
    expect(coverage).toMatchObject({
      idsSeen: 7010,
      idsToRead: 0,
      idsMissing: 0,
      idsUnprobed: 0,
      complete: true,
      collectedShare: 1,
    });
    expect(run.details.ledger.segments).toBe(2);
  });

  it("a catch-up interrupted twice in different places still ends with every execution", async () => {
    const source = new InMemorySource({ workflows: WORKFLOWS, executions: finished(300, 1, 300) });
    const { client } = await setup(source);
    await sync(client);
    source.addExecutions(...finished(3000, 301, 200));
    await expect(
      sync(client, { connect: (c) => connect(c, { fetch: failingList(3).fetchFn, maxRetries: 0 }) }),
    ).rejects.toThrow();
    source.addExecutions(...finished(2000, 3301, 100));
    // The second interruption falls inside the hole the first one left.
    await expect(
      sync(client, { connect: (c) => connect(c, { fetch: failingList(12).fetchFn, maxRetries: 0 }) }),
    ).rejects.toThrow();
    await sync(client);
    expect(await storedIds(client.id)).toEqual(range(1, 5300));
    expect((await loadCoverage(handle.db, client.id)).complete).toBe(true);
  });

  it("collects an execution that runs far longer than any re-check window", async () => {
    const source = new InMemorySource({
      workflows: WORKFLOWS,
      executions: [
        ...finished(40, 1, 300),
        { id: 41, workflowId: "1", status: "running", startedAt: at(290), stoppedAt: null },
      ],
    });
    const { client } = await setup(source);
    await sync(client);
    // Days of new executions arrive on top of it, synced several times.
    for (let day = 0; day < 3; day++) {
      source.addExecutions(...finished(600, 42 + day * 600, 280 - day * 24));
      await sync(client);
    }
    let coverage = await loadCoverage(handle.db, client.id);
    expect(coverage.running).toBe(1);
    const byId = (id: number) => and(eq(executions.clientId, client.id), eq(executions.n8nExecutionId, id));
    const [running] = await handle.db.select().from(executions).where(byId(41));
    expect(running).toMatchObject({ status: "running" });

    source.updateExecution(41, { status: "success", stoppedAt: at(10), finished: true });
    await sync(client);
    const [done] = await handle.db.select().from(executions).where(byId(41));
    expect(done).toMatchObject({ status: "success", durationMs: 280 * HOUR });
    coverage = await loadCoverage(handle.db, client.id);
    expect(coverage).toMatchObject({ running: 0, idsSeen: 1841, complete: true });
  });

  it("reports ids n8n deleted before they were collected as missing, with when they ran", async () => {
    const source = new InMemorySource({ workflows: WORKFLOWS, executions: finished(100, 1, 50) });
    for (const id of range(30, 39)) source.removeExecution(id);
    source.removeExecution(77);
    const { client } = await setup(source);
    const run = await sync(client);

    expect(run.details.ledger).toMatchObject({ gapsRecorded: 11, probed: 11, found: 0, missing: 11 });
    const gaps = await handle.db
      .select()
      .from(collectGaps)
      .where(eq(collectGaps.clientId, client.id))
      .orderBy(asc(collectGaps.lo));
    expect(gaps.map((g) => [g.lo, g.hi, g.state])).toEqual([
      [30, 39, "missing"],
      [77, 77, "missing"],
    ]);
    // Ids 29 and 40 ran at minutes 28 and 39 after the first one.
    const first = at(50).getTime();
    expect(gaps[0].afterAt?.getTime()).toBe(first + 28 * 60_000);
    expect(gaps[0].beforeAt?.getTime()).toBe(first + 39 * 60_000);
    const coverage = await loadCoverage(handle.db, client.id);
    expect(coverage).toMatchObject({
      historyStart: { id: 1, startedAt: at(50).toISOString() },
      newest: { id: 100 },
      floorId: 1,
      idsSeen: 89,
      idsMissing: 11,
      idsUnprobed: 0,
      idsToRead: 0,
      complete: true,
    });
    expect(coverage.collectedShare).toBeCloseTo(89 / 100, 6);
    // Asked about the half hour in which 30..39 ran: those 10 are unknown there.
    expect(
      await missingInRange(handle.db, client.id, new Date(first + 30 * 60_000), new Date(first + 35 * 60_000)),
    ).toBe(10);
    expect(
      await missingInRange(handle.db, client.id, new Date(first + 80 * 60_000), new Date(first + 90 * 60_000)),
    ).toBe(0);

    // A missing id is never asked for again.
    const again = await sync(client);
    expect(again.details.ledger).toMatchObject({ probed: 0, missing: 0 });
  });

  it("asks for skipped ids within a per-sync budget and goes on where it stopped", async () => {
    const source = new InMemorySource({ workflows: WORKFLOWS, executions: finished(200, 1, 50) });
    for (const id of range(50, 149)) source.removeExecution(id);
    const { client } = await setup(source);
    await sync(client, { gapProbeLimit: 40 });
    expect(await loadCoverage(handle.db, client.id)).toMatchObject({
      idsMissing: 40,
      idsUnprobed: 60,
      complete: false,
    });
    await sync(client, { gapProbeLimit: 40 });
    await sync(client, { gapProbeLimit: 40 });
    expect(await loadCoverage(handle.db, client.id)).toMatchObject({ idsMissing: 100, idsUnprobed: 0, complete: true });
  });

  it("reports what n8n pruned inside a hole before the interrupted sync could come back for it", async () => {
    const source = new InMemorySource({ workflows: WORKFLOWS, executions: finished(500, 1, 300) });
    const { client } = await setup(source);
    await sync(client);
    source.addExecutions(...finished(1500, 501, 200));
    await expect(
      sync(client, { connect: (c) => connect(c, { fetch: failingList(2).fetchFn, maxRetries: 0 }) }),
    ).rejects.toThrow();
    const held = await storedIds(client.id);
    // n8n prunes the part the interrupted sync had not read yet.
    const unread = range(501, 2000).filter((id) => !held.includes(id));
    for (const id of unread) source.removeExecution(id);
    await sync(client, { gapProbeLimit: 5000 });

    expect(await storedIds(client.id)).toEqual(held);
    const coverage = await loadCoverage(handle.db, client.id);
    expect(coverage).toMatchObject({ idsMissing: unread.length, idsToRead: 0, idsUnprobed: 0, complete: true });
  });

  it("refuses an address that now serves another n8n instance, and accepts newest executions deleted in n8n", async () => {
    const source = new InMemorySource({ workflows: WORKFLOWS, executions: finished(300, 1, 30) });
    const { client } = await setup(source);
    await sync(client);
    source.removeExecution(300);
    source.removeExecution(299);
    await sync(client);

    // A fresh instance behind the same address starts its ids again at 1.
    const { server: other } = await setup(new InMemorySource({ workflows: WORKFLOWS, executions: finished(50, 1, 2) }));
    await handle.db.update(clients).set({ n8nBaseUrl: other.url }).where(eq(clients.id, client.id));
    const moved = { ...client, n8nBaseUrl: other.url };
    await expect(sync(moved)).rejects.toThrow(/another or a reset n8n instance/);
    expect(await storedIds(client.id)).toEqual(range(1, 300));
    const [run] = await handle.db
      .select()
      .from(syncRuns)
      .where(eq(syncRuns.clientId, client.id))
      .orderBy(desc(syncRuns.id))
      .limit(1);
    expect(run).toMatchObject({ status: "error", executionsNew: 0 });
  });

  it("one sync of a client at a time across processes: a live holder refuses, a dead one's lease frees the claim", async () => {
    const { client } = await setup(new InMemorySource({ workflows: WORKFLOWS, executions: finished(20, 1, 5) }));
    // Another process's sync, running with a fresh heartbeat.
    const [other] = await handle.db
      .insert(syncRuns)
      .values({
        function: "sync-client",
        trigger: "cli",
        clientId: client.id,
        status: "running",
        heartbeatAt: new Date(),
      })
      .returning();
    await handle.db.update(clients).set({ syncRunId: other.id }).where(eq(clients.id, client.id));
    await expect(sync(client)).rejects.toThrow(
      new RegExp(`Another sync of this client is running \\(run #${other.id}`),
    );
    expect(await storedIds(client.id)).toEqual([]);

    // Its process died: no heartbeat for longer than the lease.
    await handle.db
      .update(syncRuns)
      .set({ heartbeatAt: new Date(Date.now() - 3_600_000) })
      .where(eq(syncRuns.id, other.id));
    const run = await sync(client);
    expect(run.executionsNew).toBe(20);
    const [after] = await handle.db
      .select({ holder: clients.syncRunId })
      .from(clients)
      .where(eq(clients.id, client.id));
    expect(after.holder).toBeNull();
  });

  it("a failed sync keeps its counts and rolls up what it stored", async () => {
    const source = new InMemorySource({ workflows: WORKFLOWS, executions: finished(1000, 1, 30) });
    const { client } = await setup(source);
    await expect(
      sync(client, { connect: (c) => connect(c, { fetch: failingList(3).fetchFn, maxRetries: 0 }) }),
    ).rejects.toThrow();
    const [run] = await handle.db.select().from(syncRuns).where(eq(syncRuns.clientId, client.id));
    expect(run).toMatchObject({ status: "error", pages: 2, executionsNew: 500 });
    // Nothing stored is left waiting for the next success to be counted.
    const queued = await handle.db.select().from(rollupDirtyHours).where(eq(rollupDirtyHours.clientId, client.id));
    expect(queued).toEqual([]);
    const [counted] = await queryRows<{ n: number }>(
      handle.db,
      sql`select coalesce(sum(total), 0)::int as n from rollups where client_id = ${client.id} and granularity = 'hour'`,
    );
    expect(counted.n).toBe(500);
  });
});
