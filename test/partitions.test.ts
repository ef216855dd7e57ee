import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq, sql } from "drizzle-orm";
import { queryRows, type DatabaseHandle } from "@/lib/db/database";
import { clientRollups, clients, executions, llmUsage, rollupDirtyHours, rollups } from "@/lib/db/schema";
import { ensureMonthPartitions, listMonthPartitions } from "@/lib/db/partitions";
import { upsertExecutions } from "@/lib/ingest/collect/executions";
import { insertUsage } from "@/lib/ingest/llm/usage-store";
import { rebuildRollups, refreshRollups, runRetention } from "@/lib/ingest/rollups";
import { createTestDatabase } from "./helpers/db";
import { insertExecutions } from "./helpers/factories";
import { clientWithWorkflow, expectRollupsMatchRaw, HOUR, DAY } from "./helpers/rollup-check";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(() => handle.close());

const NOW = new Date();
/** 10:00 UTC on day `day` of the month `back` months before this one. */
const monthsBack = (back: number, day = 3) =>
  new Date(Date.UTC(NOW.getUTCFullYear(), NOW.getUTCMonth() - back, day, 10));
const monthName = (table: string, d: Date) =>
  `${table}_${d.getUTCFullYear()}_${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
// Hours kept for years: every bucket stays, so all can be compared before and after.
const KEEP_BUCKETS = { rawDays: 90, hourlyDays: 3650, dailyDays: 3650, weeklyDays: 3650 };

/** Where a table's rows live: partition name by row count. */
async function rowsByPartition(table: "executions" | "llm_usage", clientId: number) {
  const rows = await queryRows<{ p: string; n: number }>(
    handle.db,
    sql`select tableoid::regclass::text as p, count(*)::int as n from ${sql.identifier(table)}
      where client_id = ${clientId} group by 1 order by 1`,
  );
  return Object.fromEntries(rows.map((r) => [r.p, Number(r.n)]));
}

/** Every bucket of the client, both tables, without the time it was computed. */
async function allBuckets(clientId: number) {
  const perWorkflow = await handle.db
    .select()
    .from(rollups)
    .where(eq(rollups.clientId, clientId))
    .orderBy(asc(rollups.granularity), asc(rollups.workflowId), asc(rollups.bucketStart));
  const perClient = await handle.db
    .select()
    .from(clientRollups)
    .where(eq(clientRollups.clientId, clientId))
    .orderBy(asc(clientRollups.granularity), asc(clientRollups.bucketStart));
  const strip = <T extends { computedAt: unknown; id?: unknown }>(rows: T[]) =>
    rows.map(({ computedAt: _c, id: _i, ...r }) => r);
  return { perWorkflow: strip(perWorkflow), perClient: strip(perClient) };
}

describe("month partitions", () => {
  it("are kept ahead of time, and a month's rows in the default partition move into its new partition", async () => {
    const { client, base } = await clientWithWorkflow(handle.db);
    const names = (await listMonthPartitions(handle.db, "executions")).map((p) => p.name);
    for (const ahead of [0, -1, -2]) expect(names).toContain(monthName("executions", monthsBack(ahead)));

    const old = monthsBack(30);
    const rows = await insertExecutions(handle.db, base, [
      { startedAt: old },
      { startedAt: new Date(old.getTime() + HOUR), status: "error" },
      { startedAt: new Date(old.getTime() + 40 * DAY) },
    ]);
    await handle.db.insert(llmUsage).values({
      clientId: client.id,
      workflowId: base.workflowId,
      model: "gpt-4o-mini",
      promptTokens: 10,
      completionTokens: 5,
      totalTokens: 15,
      costMicroUsd: 42,
      source: "ingest",
      idempotencyKey: `p-${client.id}`,
      occurredAt: old,
    });
    await refreshRollups(handle.db, { clientId: client.id });
    const before = await allBuckets(client.id);
    expect(await rowsByPartition("executions", client.id)).toEqual({ executions_default: 3 });

    const created = await ensureMonthPartitions(handle.db);
    expect(created).toEqual(
      expect.arrayContaining([
        monthName("executions", old),
        monthName("executions", rows[2].startedAt!),
        monthName("llm_usage", old),
      ]),
    );
    expect(await rowsByPartition("executions", client.id)).toEqual({
      [monthName("executions", old)]: 2,
      [monthName("executions", rows[2].startedAt!)]: 1,
    });
    expect(await rowsByPartition("llm_usage", client.id)).toEqual({ [monthName("llm_usage", old)]: 1 });
    expect(await ensureMonthPartitions(handle.db)).toEqual([]);
    // Moving rows queues nothing and changes no bucket.
    expect(await handle.db.select().from(rollupDirtyHours).where(eq(rollupDirtyHours.clientId, client.id))).toEqual([]);
    await refreshRollups(handle.db, { clientId: client.id });
    expect(await allBuckets(client.id)).toEqual(before);
    await expectRollupsMatchRaw(handle.db, client.id);
  });

  it("retention drops a whole final month, keeps one with a queued hour, and every bucket keeps its value", async () => {
    const { client, base } = await clientWithWorkflow(handle.db);
    const dropped = monthsBack(8);
    const blocked = monthsBack(7);
    const oldRows = await insertExecutions(handle.db, base, [
      { startedAt: dropped, durationMs: 120 },
      { startedAt: new Date(dropped.getTime() + HOUR), status: "error", durationMs: 900 },
      { startedAt: new Date(dropped.getTime() + 5 * DAY), durationMs: 60_000, isProduction: false },
      { startedAt: blocked, durationMs: 300 },
    ]);
    await insertExecutions(handle.db, base, [{ startedAt: monthsBack(0, 1) }]);
    // Usage of the non-production execution goes with it (it would start counting); the rest stays.
    const usage = (n8nExecutionId: number, key: string) => ({
      clientId: client.id,
      workflowId: base.workflowId,
      n8nExecutionId,
      model: "gpt-4o-mini",
      promptTokens: 100,
      completionTokens: 10,
      totalTokens: 110,
      costMicroUsd: 7,
      source: "n8n" as const,
      idempotencyKey: `${key}-${client.id}`,
      occurredAt: oldRows[0].startedAt!,
    });
    await handle.db
      .insert(llmUsage)
      .values([usage(oldRows[0].n8nExecutionId, "kept"), usage(oldRows[2].n8nExecutionId, "gone")]);
    await ensureMonthPartitions(handle.db);
    await refreshRollups(handle.db, { clientId: client.id });
    // Arrives after the refresh: its hour is queued, so its month is not final.
    await insertExecutions(handle.db, base, [{ startedAt: new Date(blocked.getTime() + 2 * HOUR) }]);
    const before = await allBuckets(client.id);

    const result = await runRetention(handle.db, KEEP_BUCKETS);

    const names = (await listMonthPartitions(handle.db, "executions")).map((p) => p.name);
    expect(names).not.toContain(monthName("executions", dropped));
    expect(names).toContain(monthName("executions", blocked));
    // The blocked month's final row went row by row; the queued one stays.
    expect(await rowsByPartition("executions", client.id)).toEqual({
      [monthName("executions", blocked)]: 1,
      [monthName("executions", monthsBack(0))]: 1,
    });
    expect(result.executionsDeleted).toBeGreaterThanOrEqual(4);
    expect(result.usageDeleted).toBeGreaterThanOrEqual(1);
    const keys = await handle.db
      .select({ key: llmUsage.idempotencyKey })
      .from(llmUsage)
      .where(eq(llmUsage.clientId, client.id));
    expect(keys.map((k) => k.key)).toEqual([`kept-${client.id}`]);
    const [{ retired }] = await handle.db
      .select({ retired: clients.executionsRetired })
      .from(clients)
      .where(eq(clients.id, client.id));
    expect(Number(retired)).toBe(4);
    expect(await allBuckets(client.id)).toEqual(before);

    // The archive stands in for the dropped rows: recomputing every bucket changes nothing
    // but the queued hour, which now counts its straggler.
    await refreshRollups(handle.db, { clientId: client.id });
    await rebuildRollups(handle.db, { clientId: client.id, from: monthsBack(9), to: NOW });
    await expectRollupsMatchRaw(handle.db, client.id);
    const after = await allBuckets(client.id);
    const month = (b: typeof after) =>
      b.perClient.filter((r) => r.granularity === "month").map((r) => [r.bucketStart.toISOString(), r.total]);
    expect(month(after)).toEqual(
      month(before).map(([start, total]) => [
        start,
        start === new Date(Date.UTC(blocked.getUTCFullYear(), blocked.getUTCMonth(), 1)).toISOString()
          ? Number(total) + 1
          : total,
      ]),
    );
  });

  it("stores a usage key once across months, and again only for another client", async () => {
    const { client, base } = await clientWithWorkflow(handle.db);
    const other = await clientWithWorkflow(handle.db);
    const call = (clientId: number, workflowId: number, occurredAt: Date) => ({
      clientId,
      workflowId,
      n8nExecutionId: null,
      nodeName: "OpenAI",
      provider: "openai",
      model: "gpt-4o-mini",
      promptTokens: 10,
      completionTokens: 5,
      totalTokens: 15,
      isEstimate: false,
      costMicroUsd: 9,
      costSource: "explicit" as const,
      reason: null,
      source: "ingest" as const,
      idempotencyKey: "ingest:retry-me",
      occurredAt,
    });
    const first = call(client.id, base.workflowId, monthsBack(0, 1));
    expect(await insertUsage(handle.db, [first, first])).toEqual({ inserted: 1, duplicates: 1 });
    // The same key at another time (a retry that restamped it) is still the same call.
    expect(await insertUsage(handle.db, [call(client.id, base.workflowId, monthsBack(2))])).toEqual({
      inserted: 0,
      duplicates: 1,
    });
    expect(await insertUsage(handle.db, [call(other.client.id, other.base.workflowId, monthsBack(2))])).toEqual({
      inserted: 1,
      duplicates: 0,
    });
    expect(await rowsByPartition("llm_usage", client.id)).toEqual({ [monthName("llm_usage", monthsBack(0))]: 1 });
  });

  it("moves an execution whose start n8n set or changed, keeping one row and queuing both hours", async () => {
    const { client, base } = await clientWithWorkflow(handle.db);
    const row = (over: Partial<Parameters<typeof upsertExecutions>[1][number]>) => ({
      ...base,
      n8nExecutionId: 9_000_000 + client.id,
      status: "new" as const,
      mode: "webhook",
      finished: false,
      isProduction: true,
      startedAt: null,
      ...over,
    });
    expect(await upsertExecutions(handle.db, [row({})])).toEqual({ inserted: 1, updated: 0 });
    // Not started: equal null starts are one key, so the same run stored again is no new row.
    expect(await upsertExecutions(handle.db, [row({})])).toEqual({ inserted: 0, updated: 0 });
    expect(await upsertExecutions(handle.db, [row({ mode: "trigger" })])).toEqual({ inserted: 0, updated: 1 });
    expect(await rowsByPartition("executions", client.id)).toEqual({ executions_default: 1 });

    const first = monthsBack(1, 28);
    await handle.db.execute(sql`select flowscope_month_partition('executions', ${first.toISOString()}::timestamptz)`);
    expect(await upsertExecutions(handle.db, [row({ status: "waiting", startedAt: first })])).toEqual({
      inserted: 0,
      updated: 1,
    });
    expect(await rowsByPartition("executions", client.id)).toEqual({ [monthName("executions", first)]: 1 });
    await refreshRollups(handle.db, { clientId: client.id });

    // n8n stamps a new start when a waiting execution resumes, here in the next month.
    const resumed = monthsBack(0, 2);
    const done = row({
      status: "success",
      finished: true,
      startedAt: resumed,
      stoppedAt: new Date(resumed.getTime() + 1000),
      durationMs: 1000,
    });
    expect(await upsertExecutions(handle.db, [done])).toEqual({ inserted: 0, updated: 1 });
    expect(await upsertExecutions(handle.db, [done])).toEqual({ inserted: 0, updated: 0 });
    expect(await rowsByPartition("executions", client.id)).toEqual({ [monthName("executions", resumed)]: 1 });
    const queued = await handle.db
      .select({ hour: rollupDirtyHours.hour })
      .from(rollupDirtyHours)
      .where(and(eq(rollupDirtyHours.clientId, client.id)))
      .orderBy(asc(rollupDirtyHours.hour));
    expect(queued.map((q) => q.hour.toISOString())).toEqual([first.toISOString(), resumed.toISOString()]);
    await refreshRollups(handle.db, { clientId: client.id });
    await expectRollupsMatchRaw(handle.db, client.id);
    const [{ n }] = await queryRows<{ n: number }>(
      handle.db,
      sql`select count(*)::int as n from ${executions} where client_id = ${client.id}`,
    );
    expect(Number(n)).toBe(1);
  });
});
