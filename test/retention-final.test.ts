import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, inArray } from "drizzle-orm";
import type { DatabaseHandle } from "@/lib/db/database";
import { executions, rollups, workflows } from "@/lib/db/schema";
import { reclassifyClient } from "@/lib/ingest/classify/reclassify";
import { refreshRollups, runRetention } from "@/lib/ingest/rollups";
import { createTestDatabase } from "./helpers/db";
import { insertExecutions } from "./helpers/factories";
import {
  ago,
  clientWithWorkflow,
  DAY,
  HOUR,
  plus,
  TEST_RETENTION,
  expectRollupsMatchRaw,
  monthTotal,
} from "./helpers/rollup-check";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(() => handle.close());

const setup = () => clientWithWorkflow(handle.db);

async function stillStored(ids: number[]) {
  const rows = await handle.db.select({ id: executions.id }).from(executions).where(inArray(executions.id, ids));
  return rows.length;
}

describe("retention deletes final data only", () => {
  it("keeps late rows older than the raw horizon until refreshed; cleanup, rollup, cleanup loses nothing", async () => {
    const { client, base } = await setup();
    const old = ago(100 * DAY);
    await insertExecutions(handle.db, base, [
      { startedAt: old },
      { startedAt: plus(old, 60_000), status: "error" },
      { startedAt: ago(10 * DAY) },
    ]);
    await refreshRollups(handle.db, { clientId: client.id });
    await runRetention(handle.db, { ...TEST_RETENTION, clientId: client.id });
    expect(await monthTotal(handle.db, client.id)).toBe(3);

    // Late: into the archived hour, into new old hours, and one manual run.
    const late = await insertExecutions(handle.db, base, [
      { startedAt: plus(old, 120_000) },
      { startedAt: plus(old, 180_000), status: "crashed" },
      { startedAt: plus(old, -10 * DAY) },
      { startedAt: plus(old, -11 * DAY), durationMs: 5 },
      { startedAt: plus(old, -11 * DAY + 1000), mode: "manual", isProduction: false, exclusionReason: "manual" },
    ]);
    const ids = late.map((r) => r.id);
    const cleanup = await runRetention(handle.db, { ...TEST_RETENTION, clientId: client.id });
    expect(cleanup).toMatchObject({ executionsDeleted: 0, executionsKeptDirty: 5 });
    expect(await stillStored(ids)).toBe(5);

    await refreshRollups(handle.db, { clientId: client.id });
    expect(await monthTotal(handle.db, client.id)).toBe(7);
    expect(await runRetention(handle.db, { ...TEST_RETENTION, clientId: client.id })).toMatchObject({
      executionsDeleted: 5,
      executionsKeptDirty: 0,
    });
    expect(await stillStored(ids)).toBe(0);
    expect(await monthTotal(handle.db, client.id)).toBe(7);
    await expectRollupsMatchRaw(handle.db, client.id);
  });

  it("keeps an old hour raw while one of its executions is unfinished, and counts its final status once it ends", async () => {
    const { client, base } = await setup();
    const old = ago(120 * DAY);
    const [running] = await insertExecutions(handle.db, base, [
      { startedAt: old, status: "running", durationMs: null },
      { startedAt: plus(old, 60_000) },
    ]);
    await refreshRollups(handle.db, { clientId: client.id });
    const kept = await runRetention(handle.db, { ...TEST_RETENTION, clientId: client.id });
    expect(kept.executionsDeleted).toBe(0);
    expect(await stillStored([running.id])).toBe(1);

    // n8n reports it finished, 120 days later: its hour now counts a success, not a running one.
    await handle.db
      .update(executions)
      .set({ status: "success", durationMs: 5_000 })
      .where(eq(executions.id, running.id));
    await refreshRollups(handle.db, { clientId: client.id });
    expect(await runRetention(handle.db, { ...TEST_RETENTION, clientId: client.id })).toMatchObject({
      executionsDeleted: 2,
    });
    const [month] = await handle.db
      .select({ success: rollups.success, other: rollups.other })
      .from(rollups)
      .where(and(eq(rollups.clientId, client.id), eq(rollups.granularity, "month")));
    expect(month).toEqual({ success: 2, other: 0 });
    await expectRollupsMatchRaw(handle.db, client.id);
  });

  it("after a rename to a test name, reports what it cannot re-count and keeps every bucket exact", async () => {
    const { client, wf, base } = await setup();
    const archivedHour = ago(100 * DAY);
    await insertExecutions(handle.db, base, [{ startedAt: archivedHour }, { startedAt: plus(archivedHour, 60_000) }]);
    await refreshRollups(handle.db, { clientId: client.id });
    await runRetention(handle.db, { ...TEST_RETENTION, clientId: client.id });
    // Rows still stored: one old enough for the next cleanup, two recent.
    const stored = await insertExecutions(handle.db, base, [
      { startedAt: plus(ago(95 * DAY), 60_000) },
      { startedAt: ago(10 * DAY) },
      { startedAt: ago(2 * HOUR) },
    ]);
    await refreshRollups(handle.db, { clientId: client.id });
    expect(await monthTotal(handle.db, client.id)).toBe(5);

    await handle.db.update(workflows).set({ name: "Invoice sync test" }).where(eq(workflows.id, wf.id));
    const run = await reclassifyClient(handle.db, { clientId: client.id, trigger: "manual" });
    expect(run).toMatchObject({ executionsUpdated: stored.length, details: { notRecounted: 2 } });
    // The stored rows left the counts; the archived ones could not, and stay counted.
    expect(await monthTotal(handle.db, client.id)).toBe(2);
    const [hour] = await handle.db
      .select()
      .from(rollups)
      .where(
        and(eq(rollups.workflowId, wf.id), eq(rollups.granularity, "hour"), eq(rollups.bucketStart, archivedHour)),
      );
    expect(hour).toMatchObject({ total: 2 });
    await expectRollupsMatchRaw(handle.db, client.id);

    const cleanup = await runRetention(handle.db, { ...TEST_RETENTION, clientId: client.id });
    expect(cleanup).toMatchObject({ executionsDeleted: 1, executionsKeptDirty: 0 });
    expect(await monthTotal(handle.db, client.id)).toBe(2);
    await expectRollupsMatchRaw(handle.db, client.id);
  });
});
