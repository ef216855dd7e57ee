import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq, sql } from "drizzle-orm";
import { queryRows, type DatabaseHandle } from "@/lib/db/database";
import { executions, llmUsage, rollups } from "@/lib/db/schema";
import { type Granularity } from "@/lib/core/vocabulary";
import { reclassifyClient } from "@/lib/ingest/classify/reclassify";
import { bucketStart, mergeHistograms, rebuildRollups, refreshRollups, runRetention } from "@/lib/ingest/rollups";
import { histogramFromDurations } from "@/lib/core/histogram";
import { createTestDatabase } from "./helpers/db";
import { createWorkflow, insertExecutions } from "./helpers/factories";
import {
  ago,
  morningAgo,
  clientWithWorkflow,
  DAY,
  HOUR,
  plus,
  TEST_RETENTION,
  expectRollupsMatchRaw,
} from "./helpers/rollup-check";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(() => handle.close());

const setup = () => clientWithWorkflow(handle.db);

async function bucket(workflowId: number, granularity: Granularity, at: Date) {
  const [row] = await handle.db
    .select()
    .from(rollups)
    .where(
      and(
        eq(rollups.workflowId, workflowId),
        eq(rollups.granularity, granularity),
        eq(rollups.bucketStart, bucketStart(at, granularity)),
      ),
    );
  return row;
}

describe("the dirty-bucket queue", () => {
  it("takes usage ingested before its execution out of the counts when the execution arrives as non-production", async () => {
    const { client, wf, base } = await setup();
    const usageHour = plus(ago(3 * DAY), 10 * 60_000);
    await handle.db.insert(llmUsage).values({
      clientId: client.id,
      workflowId: wf.id,
      n8nExecutionId: 9001,
      model: "gpt-4o-mini",
      promptTokens: 100,
      completionTokens: 20,
      totalTokens: 120,
      source: "ingest",
      idempotencyKey: `early-${client.id}`,
      occurredAt: usageHour,
    });
    await refreshRollups(handle.db, { clientId: client.id });
    expect(await bucket(wf.id, "hour", usageHour)).toMatchObject({ llmCalls: 1, tokensIn: 100 });

    // The execution arrives later, a manual run, started in an earlier hour than its usage.
    await insertExecutions(handle.db, base, [
      {
        n8nExecutionId: 9001,
        startedAt: plus(usageHour, -2 * HOUR),
        mode: "manual",
        isProduction: false,
        exclusionReason: "manual",
      },
    ]);
    await refreshRollups(handle.db, { clientId: client.id });
    expect((await bucket(wf.id, "hour", usageHour)) ?? { llmCalls: 0 }).toMatchObject({ llmCalls: 0 });
    await expectRollupsMatchRaw(handle.db, client.id);
  });

  it("takes an execution moved to another hour or workflow out of its old buckets at every level", async () => {
    const { client, wf, base } = await setup();
    const other = await createWorkflow(handle.db, client.id);
    // 35 days apart: another day, week and month.
    const from = plus(ago(40 * DAY), 10 * 60_000);
    const to = plus(ago(5 * DAY), 10 * 60_000);
    const [moved, switched] = await insertExecutions(handle.db, base, [
      { startedAt: from },
      { startedAt: plus(from, 60_000) },
      { startedAt: plus(from, 120_000) },
    ]);
    await refreshRollups(handle.db, { clientId: client.id });
    for (const g of ["hour", "day", "week", "month"] as const)
      expect(await bucket(wf.id, g, from)).toMatchObject({ total: 3 });

    await handle.db
      .update(executions)
      .set({ startedAt: to, stoppedAt: plus(to, 1000) })
      .where(eq(executions.id, moved.id));
    await handle.db.update(executions).set({ workflowId: other.id }).where(eq(executions.id, switched.id));
    // Old and new keys: (wf, from's hour), (wf, to's hour), (other, from's hour).
    expect(await refreshRollups(handle.db, { clientId: client.id })).toMatchObject({ keysDrained: 3 });

    for (const g of ["hour", "day", "week", "month"] as const) {
      expect(await bucket(wf.id, g, from), g).toMatchObject({ total: 1 });
      expect(await bucket(wf.id, g, to), g).toMatchObject({ total: 1 });
      expect(await bucket(other.id, g, from), g).toMatchObject({ total: 1 });
    }
    await expectRollupsMatchRaw(handle.db, client.id);
  });

  it("adds a late execution to an hour whose raw rows retention deleted", async () => {
    const { client, wf, base } = await setup();
    const h = ago(100 * DAY);
    await insertExecutions(handle.db, base, [
      { startedAt: h, durationMs: 100 },
      { startedAt: plus(h, 60_000), durationMs: 200, status: "error" },
    ]);
    await refreshRollups(handle.db, { clientId: client.id });
    expect(await runRetention(handle.db, { ...TEST_RETENTION, clientId: client.id })).toMatchObject({
      executionsDeleted: 2,
      hourlyDeleted: 0,
    });
    const archived = await bucket(wf.id, "hour", h);

    await insertExecutions(handle.db, base, [{ startedAt: plus(h, 120_000), durationMs: 300 }]);
    await refreshRollups(handle.db, { clientId: client.id });
    const late = await bucket(wf.id, "hour", h);
    expect(late).toMatchObject({
      total: 3,
      success: 2,
      error: 1,
      durationSumMs: 600,
      durationMinMs: 100,
      durationMaxMs: 300,
    });
    expect(late.latencyHistogram).toEqual(mergeHistograms([archived.latencyHistogram, histogramFromDurations([300])]));
    for (const g of ["day", "week", "month"] as const) expect(await bucket(wf.id, g, h), g).toMatchObject({ total: 3 });
    await expectRollupsMatchRaw(handle.db, client.id);

    // And once the late row is old news too, the archive holds all three.
    expect(await runRetention(handle.db, { ...TEST_RETENTION, clientId: client.id })).toMatchObject({
      executionsDeleted: 1,
    });
    expect(await bucket(wf.id, "hour", h)).toMatchObject({ total: 3, durationSumMs: 600 });
    await rebuildRollups(handle.db, { clientId: client.id, from: ago(120 * DAY), to: new Date() });
    expect(await bucket(wf.id, "hour", h)).toMatchObject({ total: 3, durationSumMs: 600 });
    await expectRollupsMatchRaw(handle.db, client.id);
  });

  it("adds a late execution to a day whose hour rows retention folded into it", async () => {
    const { client, wf, base } = await setup();
    const h = morningAgo(100 * DAY);
    await insertExecutions(handle.db, base, [{ startedAt: h }, { startedAt: plus(h, HOUR) }]);
    await refreshRollups(handle.db, { clientId: client.id });
    const retention = { ...TEST_RETENTION, hourlyDays: 90, clientId: client.id };
    expect(await runRetention(handle.db, retention)).toMatchObject({ executionsDeleted: 2, hourlyDeleted: 2 });

    await insertExecutions(handle.db, base, [{ startedAt: plus(h, 60_000) }]);
    await refreshRollups(handle.db, { clientId: client.id });
    expect(await bucket(wf.id, "hour", h)).toMatchObject({ total: 1 });
    for (const g of ["day", "week", "month"] as const) expect(await bucket(wf.id, g, h), g).toMatchObject({ total: 3 });
    await expectRollupsMatchRaw(handle.db, client.id);
    await runRetention(handle.db, retention);
    for (const g of ["day", "week", "month"] as const) expect(await bucket(wf.id, g, h), g).toMatchObject({ total: 3 });
    await expectRollupsMatchRaw(handle.db, client.id);
  });
});

/** The whole rollups and archive tables of a client, computed_at and archived_at left out. */
async function snapshot(clientId: number) {
  const buckets = await handle.db
    .select()
    .from(rollups)
    .where(eq(rollups.clientId, clientId))
    .orderBy(asc(rollups.granularity), asc(rollups.workflowId), asc(rollups.bucketStart));
  const archive = await queryRows<Record<string, unknown>>(
    handle.db,
    sql`select * from rollup_archive where client_id = ${clientId} order by granularity, workflow_id, bucket_start`,
  );
  return {
    buckets: buckets.map(({ computedAt: _c, ...r }) => r),
    archive: archive.map(({ archived_at: _a, ...r }) => r),
  };
}

describe("re-running rollup work", () => {
  it("leaves every counted column unchanged: refresh twice, rebuild, reclassify, retention", async () => {
    const { client, wf, base } = await setup();
    const second = await createWorkflow(handle.db, client.id, { minutesSavedPerExecution: 1.5 });
    const statuses = ["success", "error", "crashed", "canceled", "waiting"] as const;
    const rows = Array.from({ length: 60 }, (_, i) => ({
      startedAt: plus(ago(i * 53 * HOUR), (i * 7919) % HOUR),
      status: statuses[i % statuses.length],
      durationMs: i % 7 === 0 ? null : (i * 3301) % 40_000,
      isProduction: i % 6 !== 5,
      mode: i % 6 === 5 ? "manual" : "trigger",
      exclusionReason: i % 6 === 5 ? "manual" : null,
    }));
    const stored = await insertExecutions(handle.db, base, rows);
    await insertExecutions(handle.db, { ...base, workflowId: second.id }, rows.slice(0, 30));
    await handle.db.insert(llmUsage).values(
      stored.slice(0, 20).map((e, i) => ({
        clientId: client.id,
        workflowId: wf.id,
        n8nExecutionId: e.n8nExecutionId,
        model: "gpt-4o-mini",
        promptTokens: 100 + i,
        completionTokens: 10,
        totalTokens: 110 + i,
        costMicroUsd: 5 * i,
        source: "n8n" as const,
        idempotencyKey: `${client.id}-${i}`,
        occurredAt: plus(e.startedAt ?? new Date(), 30_000),
      })),
    );
    await refreshRollups(handle.db, { clientId: client.id });
    // Some history archived (raw rows older than 90 days, hours older than 120 days).
    await runRetention(handle.db, { ...TEST_RETENTION, hourlyDays: 120, clientId: client.id });
    await insertExecutions(handle.db, base, [{ startedAt: plus(ago(100 * DAY), 60_000) }]);
    await refreshRollups(handle.db, { clientId: client.id });
    await runRetention(handle.db, { ...TEST_RETENTION, hourlyDays: 120, clientId: client.id });
    await expectRollupsMatchRaw(handle.db, client.id);
    const before = await snapshot(client.id);
    expect(before.archive.length).toBeGreaterThan(0);

    expect(await refreshRollups(handle.db, { clientId: client.id })).toMatchObject({ keysDrained: 0 });
    expect(await refreshRollups(handle.db, { clientId: client.id })).toMatchObject({ keysDrained: 0 });
    expect(await snapshot(client.id)).toEqual(before);

    await rebuildRollups(handle.db, { from: ago(1000 * DAY), to: plus(new Date(), HOUR) });
    expect(await snapshot(client.id)).toEqual(before);

    const run = await reclassifyClient(handle.db, { clientId: client.id, trigger: "manual" });
    expect(run).toMatchObject({ executionsUpdated: 0, details: { keysDrained: 0, notRecounted: 0 } });
    expect(await snapshot(client.id)).toEqual(before);

    // Touching every row without changing what it counts queues nothing.
    await handle.db.update(executions).set({ updatedAt: new Date() }).where(eq(executions.clientId, client.id));
    expect(await refreshRollups(handle.db, { clientId: client.id })).toMatchObject({ keysDrained: 0 });

    await runRetention(handle.db, { ...TEST_RETENTION, hourlyDays: 120, clientId: client.id });
    expect(await snapshot(client.id)).toEqual(before);
    await expectRollupsMatchRaw(handle.db, client.id);
  });
});
