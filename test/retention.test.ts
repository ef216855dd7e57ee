import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq, sql } from "drizzle-orm";
import { queryRows, type DatabaseHandle } from "@/lib/db/database";
import { executions, rollups } from "@/lib/db/schema";
import { type Granularity } from "@/lib/core/vocabulary";
import { bucketStart, mergeHistograms, rebuildRollups, refreshRollups, runRetention } from "@/lib/ingest/rollups";
import { createTestDatabase } from "./helpers/db";
import { createClient, createWorkflow, insertExecutions } from "./helpers/factories";
import { ago, expectRollupsMatchRaw, morningAgo } from "./helpers/rollup-check";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(() => handle.close());

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DEFAULTS = { rawDays: 90, hourlyDays: 90, dailyDays: 730, weeklyDays: 730 };

async function rollupRows(clientId: number, granularity?: Granularity) {
  const rows = await handle.db
    .select()
    .from(rollups)
    .where(eq(rollups.clientId, clientId))
    .orderBy(asc(rollups.granularity), asc(rollups.workflowId), asc(rollups.bucketStart));
  return granularity ? rows.filter((r) => r.granularity === granularity) : rows;
}

/** Rows without computed_at: retention recomputes parents to the same values. */
const values = (rows: Awaited<ReturnType<typeof rollupRows>>) => rows.map(({ computedAt: _c, ...r }) => r);

async function executionIds(clientId: number) {
  const rows = await handle.db.select({ id: executions.id }).from(executions).where(eq(executions.clientId, clientId));
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

async function setup() {
  const client = await createClient(handle.db);
  const wf = await createWorkflow(handle.db, client.id);
  const base = { clientId: client.id, workflowId: wf.id };
  return { client, wf, base };
}

describe("runRetention", () => {
  it("deletes old executions and hours in final hours only, keeps queued rows, days, weeks and months", async () => {
    const { client, base } = await setup();
    // Mid-morning, so the straggler two hours later falls in the same day whenever the test runs.
    const old = morningAgo(100 * DAY);
    const recent = ago(80 * DAY);
    const oldRows = await insertExecutions(handle.db, base, [
      { startedAt: old, durationMs: 100 },
      { startedAt: new Date(old.getTime() + 60_000), durationMs: 300 },
      { startedAt: new Date(old.getTime() + HOUR), status: "error", durationMs: 50 },
    ]);
    const recentRows = await insertExecutions(handle.db, base, [{ startedAt: recent }, { startedAt: ago(HOUR) }]);
    await refreshRollups(handle.db, { clientId: client.id });
    // Arrives after the refresh: its hour is queued, so retention must keep it.
    const [straggler] = await insertExecutions(handle.db, base, [{ startedAt: new Date(old.getTime() + 2 * HOUR) }]);
    const before = await rollupRows(client.id);
    expect(before.filter((r) => r.granularity === "hour")).toHaveLength(4);

    const result = await runRetention(handle.db, { ...DEFAULTS, clientId: client.id, batchSize: 2 });
    expect(result).toEqual({
      executionsDeleted: 3,
      executionsKeptDirty: 1,
      hourlyDeleted: 2,
      hourlyKept: 0,
      dailyDeleted: 0,
      dailyKept: 0,
      weeklyDeleted: 0,
    });
    expect(await executionIds(client.id)).toEqual([...recentRows.map((r) => r.id), straggler.id].sort((a, b) => a - b));
    const after = await rollupRows(client.id);
    expect(after.filter((r) => r.granularity === "hour").map((r) => r.bucketStart)).toEqual([recent, ago(HOUR)]);
    for (const g of ["day", "week", "month"] as const) {
      expect(values(after.filter((r) => r.granularity === g))).toEqual(
        values(before.filter((r) => r.granularity === g)),
      );
    }

    // The straggler's day keeps what retention archived and adds the straggler.
    const refreshed = await refreshRollups(handle.db, { clientId: client.id });
    expect(refreshed).toEqual({ hourBuckets: 1, dayBuckets: 1, weekBuckets: 1, monthBuckets: 1, keysDrained: 1 });
    const oldDay = (await rollupRows(client.id, "day")).find(
      (r) => r.bucketStart.getTime() === bucketStart(old, "day").getTime(),
    );
    expect(oldDay).toMatchObject({ total: 4, success: 3, error: 1 });
    await expectRollupsMatchRaw(handle.db, client.id);

    const again = await runRetention(handle.db, { ...DEFAULTS, clientId: client.id });
    expect(again).toMatchObject({ executionsDeleted: 1, executionsKeptDirty: 0, hourlyDeleted: 1, hourlyKept: 0 });
    await expectRollupsMatchRaw(handle.db, client.id);
    expect(oldRows).toHaveLength(3);
    // Every client at once, with a clock far in the past: nothing is old enough.
    expect(await runRetention(handle.db, { now: new Date(0) })).toMatchObject({
      executionsDeleted: 0,
      hourlyDeleted: 0,
    });
  });

  it("keeps day and month figures across retention and a later refresh in the same month", async () => {
    const { client, base } = await setup();
    const month = bucketStart(new Date(Date.now() - 75 * DAY), "month");
    const old = new Date(month.getTime() + 3 * HOUR);
    const newer = new Date(Math.max(ago(75 * DAY).getTime(), month.getTime() + 2 * DAY));
    await insertExecutions(handle.db, base, [
      { startedAt: old, durationMs: 400 },
      { startedAt: new Date(old.getTime() + 2 * HOUR), durationMs: 900, status: "crashed" },
    ]);
    await refreshRollups(handle.db, { clientId: client.id });
    const before = await rollupRows(client.id);

    // Retention cut between the old rows and the newer one.
    const days = (Date.now() - (month.getTime() + DAY)) / DAY;
    const result = await runRetention(handle.db, { clientId: client.id, rawDays: days, hourlyDays: days });
    expect(result).toMatchObject({ executionsDeleted: 2, hourlyDeleted: 2, dailyDeleted: 0, weeklyDeleted: 0 });
    expect(await rollupRows(client.id, "hour")).toEqual([]);

    await insertExecutions(handle.db, base, [{ startedAt: newer, durationMs: 7000 }]);
    const refreshed = await refreshRollups(handle.db, { clientId: client.id });
    expect(refreshed).toEqual({ hourBuckets: 1, dayBuckets: 1, weekBuckets: 1, monthBuckets: 1, keysDrained: 1 });

    const after = await rollupRows(client.id);
    const oldDay = before.find((r) => r.granularity === "day");
    const oldDayAfter = after.find(
      (r) => r.granularity === "day" && r.bucketStart.getTime() === oldDay?.bucketStart.getTime(),
    );
    expect(oldDayAfter && values([oldDayAfter])).toEqual(oldDay && values([oldDay]));
    const monthBefore = before.find((r) => r.granularity === "month");
    const monthAfter = after.find((r) => r.granularity === "month");
    expect(monthAfter).toMatchObject({
      bucketStart: month,
      total: 3,
      success: 2,
      crashed: 1,
      durationCount: 3,
      durationSumMs: 8300,
      durationMinMs: 400,
      durationMaxMs: 7000,
    });
    const newerDay = after.find(
      (r) => r.granularity === "day" && r.bucketStart.getTime() === bucketStart(newer, "day").getTime(),
    );
    expect(monthAfter?.latencyHistogram).toEqual(
      mergeHistograms([monthBefore?.latencyHistogram, newerDay?.latencyHistogram]),
    );
    await expectRollupsMatchRaw(handle.db, client.id);
  });

  it("keeps rows a rebuild counted but the queue still holds, until a refresh drains them", async () => {
    const { client, base } = await setup();
    const at = morningAgo(10 * DAY);
    await insertExecutions(handle.db, base, [{ startedAt: at }, { startedAt: new Date(at.getTime() + HOUR) }]);
    const range = { clientId: client.id, from: new Date(at.getTime() - DAY), to: new Date() };
    await rebuildRollups(handle.db, { ...range, granularities: ["hour"] });

    const first = await runRetention(handle.db, { clientId: client.id, rawDays: 5, hourlyDays: 5 });
    expect(first).toMatchObject({ executionsDeleted: 0, executionsKeptDirty: 2, hourlyDeleted: 0, hourlyKept: 2 });
    await refreshRollups(handle.db, { clientId: client.id });
    const second = await runRetention(handle.db, { clientId: client.id, rawDays: 5, hourlyDays: 5 });
    expect(second).toMatchObject({ executionsDeleted: 2, executionsKeptDirty: 0, hourlyDeleted: 2, hourlyKept: 0 });
    expect((await rollupRows(client.id, "day"))[0]).toMatchObject({ total: 2 });
    await expectRollupsMatchRaw(handle.db, client.id);
  });

  it("folds an hour into a day its last rebuild did not reach, and catches the day up", async () => {
    const { client, base } = await setup();
    const at = morningAgo(10 * DAY);
    await insertExecutions(handle.db, base, [{ startedAt: at }]);
    await refreshRollups(handle.db, { clientId: client.id });
    // A second row, counted by a rebuild of hours only: the day still says 1.
    await insertExecutions(handle.db, base, [{ startedAt: new Date(at.getTime() + 60_000) }]);
    await rebuildRollups(handle.db, { clientId: client.id, from: at, to: new Date(), granularities: ["hour"] });
    await handle.db.execute(sql`delete from rollup_dirty_hours where client_id = ${client.id}`);
    expect((await rollupRows(client.id, "day"))[0]).toMatchObject({ total: 1 });

    await runRetention(handle.db, { clientId: client.id, rawDays: 5, hourlyDays: 5 });
    expect(await rollupRows(client.id, "hour")).toEqual([]);
    expect((await rollupRows(client.id, "day"))[0]).toMatchObject({ total: 2 });
    // Weeks and months follow at their next recomputation, which finds every row counted.
    await rebuildRollups(handle.db, {
      clientId: client.id,
      from: at,
      to: new Date(),
      granularities: ["week", "month"],
    });
    for (const g of ["week", "month"] as const) expect((await rollupRows(client.id, g))[0]).toMatchObject({ total: 2 });
    await expectRollupsMatchRaw(handle.db, client.id);
  });

  it("folds old days into their week and month, then drops weeks with no day left", async () => {
    const { client, base } = await setup();
    const old = ago(800 * DAY);
    await insertExecutions(handle.db, base, [
      { startedAt: old, durationMs: 10 },
      { startedAt: new Date(old.getTime() + DAY), durationMs: 20, status: "error" },
      { startedAt: ago(DAY), durationMs: 30 },
    ]);
    await refreshRollups(handle.db, { clientId: client.id });
    const monthsBefore = values(await rollupRows(client.id, "month"));

    const result = await runRetention(handle.db, { ...DEFAULTS, clientId: client.id });
    expect(result).toMatchObject({ executionsDeleted: 2, hourlyDeleted: 2, dailyDeleted: 2, dailyKept: 0 });
    expect(result.weeklyDeleted).toBeGreaterThanOrEqual(1);
    expect(values(await rollupRows(client.id, "month"))).toEqual(monthsBefore);
    expect((await rollupRows(client.id, "day")).map((r) => r.bucketStart)).toEqual([bucketStart(ago(DAY), "day")]);
    await expectRollupsMatchRaw(handle.db, client.id);

    // A late row in the retired month adds to it.
    await insertExecutions(handle.db, base, [{ startedAt: new Date(old.getTime() + 2 * HOUR), durationMs: 40 }]);
    await refreshRollups(handle.db, { clientId: client.id });
    const month = (await rollupRows(client.id, "month")).find(
      (r) => r.bucketStart.getTime() === bucketStart(old, "month").getTime(),
    );
    expect(month?.total).toBe(
      monthsBefore.find((r) => r.bucketStart.getTime() === month?.bucketStart.getTime())!.total + 1,
    );
    await expectRollupsMatchRaw(handle.db, client.id);
  });
});

describe("rebuildRollups after retention", () => {
  it("recomputes old buckets from their archive to the same values", async () => {
    const { client, base } = await setup();
    const old = ago(100 * DAY);
    const recent = ago(10 * DAY);
    await insertExecutions(handle.db, base, [
      { startedAt: old, durationMs: 10 },
      { startedAt: old, durationMs: 20 },
      { startedAt: recent, durationMs: 30 },
    ]);
    await refreshRollups(handle.db, { clientId: client.id });
    await runRetention(handle.db, { ...DEFAULTS, clientId: client.id, hourlyDays: 365 });
    const [left] = await queryRows<{ n: number }>(
      handle.db,
      sql`select count(*)::int as n from executions where client_id = ${client.id}`,
    );
    expect(Number(left.n)).toBe(1);
    const before = await rollupRows(client.id);

    const result = await rebuildRollups(handle.db, { clientId: client.id, from: ago(120 * DAY), to: new Date() });
    expect(result.buckets).toMatchObject({ hour: 2, day: 2 });
    expect(values(await rollupRows(client.id))).toEqual(values(before));
    const oldHour = await handle.db
      .select()
      .from(rollups)
      .where(and(eq(rollups.clientId, client.id), eq(rollups.granularity, "hour"), eq(rollups.bucketStart, old)));
    expect(oldHour[0]).toMatchObject({ total: 2, durationSumMs: 30, durationMinMs: 10, durationMaxMs: 20 });
    await expectRollupsMatchRaw(handle.db, client.id);
  });
});
