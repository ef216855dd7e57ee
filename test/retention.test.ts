import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq, sql } from "drizzle-orm";
import { queryRows, type DatabaseHandle } from "@/lib/db/client";
import { executions, rollups, type Granularity } from "@/lib/db/schema";
import { bucketStart, mergeHistograms, rebuildRollups, refreshRollups, runRetention } from "@/lib/rollups";
import { createTestDatabase } from "./helpers/db";
import { createClient, createWorkflow, insertExecutions } from "./helpers/factories";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(() => handle.close());

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DEFAULTS = { rawDays: 90, hourlyDays: 90, dailyDays: 730, weeklyDays: 730 };
/** Whole hours, so each test knows which bucket a row lands in. */
const ago = (ms: number) => new Date(Math.floor((Date.now() - ms) / HOUR) * HOUR);

async function rollupRows(clientId: number, granularity?: Granularity) {
  const rows = await handle.db
    .select()
    .from(rollups)
    .where(eq(rollups.clientId, clientId))
    .orderBy(asc(rollups.granularity), asc(rollups.workflowId), asc(rollups.bucketStart));
  return granularity ? rows.filter((r) => r.granularity === granularity) : rows;
}

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
  it("deletes old rolled-up executions and hours, keeps unrolled rows, days, weeks and months", async () => {
    const { client, base } = await setup();
    const old = ago(100 * DAY);
    const recent = ago(80 * DAY);
    const oldRows = await insertExecutions(handle.db, base, [
      { startedAt: old, durationMs: 100 },
      { startedAt: new Date(old.getTime() + 60_000), durationMs: 300 },
      { startedAt: new Date(old.getTime() + HOUR), status: "error", durationMs: 50 },
    ]);
    const recentRows = await insertExecutions(handle.db, base, [{ startedAt: recent }, { startedAt: ago(HOUR) }]);
    await refreshRollups(handle.db, { clientId: client.id });
    // Arrives after the refresh: not rolled up yet, so retention must keep it.
    const [straggler] = await insertExecutions(handle.db, base, [{ startedAt: new Date(old.getTime() + 2 * HOUR) }]);
    const before = await rollupRows(client.id);
    expect(before.filter((r) => r.granularity === "hour")).toHaveLength(4);

    const result = await runRetention(handle.db, { ...DEFAULTS, clientId: client.id, batchSize: 2 });
    expect(result).toEqual({
      executionsDeleted: 3,
      executionsKeptUnrolled: 1,
      hourlyDeleted: 2,
      hourlyKeptUnmerged: 0,
      dailyDeleted: 0,
      dailyKeptUnmerged: 0,
      weeklyDeleted: 0,
    });
    expect(await executionIds(client.id)).toEqual([...recentRows.map((r) => r.id), straggler.id].sort((a, b) => a - b));
    const after = await rollupRows(client.id);
    expect(after.filter((r) => r.granularity === "hour").map((r) => r.bucketStart)).toEqual([recent, ago(HOUR)]);
    for (const g of ["day", "week", "month"] as const) {
      expect(after.filter((r) => r.granularity === g)).toEqual(before.filter((r) => r.granularity === g));
    }

    // The straggler's day is older than the hours kept: it is frozen, not recomputed
    // from hours that are gone, and its executions are marked so retention can go on.
    const refreshed = await refreshRollups(handle.db, { clientId: client.id });
    expect(refreshed).toMatchObject({ hourBuckets: 1, dayBuckets: 0, executionsMarked: 1 });
    const later = await rollupRows(client.id);
    for (const g of ["day", "week", "month"] as const) {
      expect(later.filter((r) => r.granularity === g)).toEqual(before.filter((r) => r.granularity === g));
    }
    const again = await runRetention(handle.db, { ...DEFAULTS, clientId: client.id });
    expect(again).toMatchObject({ executionsDeleted: 1, executionsKeptUnrolled: 0, hourlyDeleted: 1, hourlyKeptUnmerged: 0 });
    expect(oldRows).toHaveLength(3);
    // Every client at once, with a clock far in the past: nothing is old enough.
    expect(await runRetention(handle.db, { now: new Date(0) })).toMatchObject({ executionsDeleted: 0, hourlyDeleted: 0 });
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
    expect(refreshed).toEqual({ hourBuckets: 1, dayBuckets: 1, weekBuckets: 1, monthBuckets: 1, executionsMarked: 1 });

    const after = await rollupRows(client.id);
    const oldDay = before.find((r) => r.granularity === "day");
    expect(after.find((r) => r.granularity === "day" && r.bucketStart.getTime() === oldDay?.bucketStart.getTime())).toEqual(oldDay);
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
    const newerDay = after.find((r) => r.granularity === "day" && r.bucketStart.getTime() === bucketStart(newer, "day").getTime());
    expect(monthAfter?.latencyHistogram).toEqual(mergeHistograms([monthBefore?.latencyHistogram, newerDay?.latencyHistogram]));
  });

  it("keeps an hour that its day has not merged yet", async () => {
    const { client, base } = await setup();
    const at = ago(10 * DAY);
    await insertExecutions(handle.db, base, [{ startedAt: at }, { startedAt: new Date(at.getTime() + HOUR) }]);
    const range = { clientId: client.id, from: new Date(at.getTime() - DAY), to: new Date() };
    await rebuildRollups(handle.db, { ...range, granularities: ["hour"] });

    const first = await runRetention(handle.db, { clientId: client.id, rawDays: 5, hourlyDays: 5 });
    expect(first).toMatchObject({ executionsDeleted: 0, executionsKeptUnrolled: 2, hourlyDeleted: 0, hourlyKeptUnmerged: 2 });
    await rebuildRollups(handle.db, { ...range, granularities: ["day"] });
    const second = await runRetention(handle.db, { clientId: client.id, rawDays: 5, hourlyDays: 5 });
    expect(second).toMatchObject({ hourlyDeleted: 2, hourlyKeptUnmerged: 0 });
    expect((await rollupRows(client.id, "day"))[0]).toMatchObject({ total: 2 });
  });
});

describe("rebuildRollups after retention", () => {
  it("never wipes hour buckets older than the raw retention cutoff", async () => {
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
    const [left] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from executions where client_id = ${client.id}`);
    expect(Number(left.n)).toBe(1);
    const before = await rollupRows(client.id);

    const result = await rebuildRollups(handle.db, { clientId: client.id, from: ago(120 * DAY), to: new Date(), rawRetentionDays: 90 });
    // Old hour and day are frozen (their sources are gone); weeks and months come from
    // day rows, which are all still there, so both are recomputed, to the same values.
    expect(result.buckets).toEqual({ hour: 1, day: 1, week: 2, month: 2 });
    const after = await rollupRows(client.id);
    expect(after.map(({ computedAt: _c, ...r }) => r)).toEqual(before.map(({ computedAt: _c, ...r }) => r));
    const oldHour = (rows: typeof before) =>
      rows.find((r) => r.granularity === "hour" && r.bucketStart.getTime() === old.getTime());
    expect(oldHour(after)).toEqual(oldHour(before));
    expect(oldHour(after)).toMatchObject({ total: 2, durationSumMs: 30 });
    const recentHour = await handle.db
      .select()
      .from(rollups)
      .where(and(eq(rollups.clientId, client.id), eq(rollups.granularity, "hour"), eq(rollups.bucketStart, recent)));
    expect(recentHour[0].computedAt.getTime()).toBeGreaterThan(oldHour(after)?.computedAt.getTime() ?? Infinity);
  });
});
