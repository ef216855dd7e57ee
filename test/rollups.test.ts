import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq, sql } from "drizzle-orm";
import { queryRows, type DatabaseHandle, type Db } from "@/lib/db/database";
import { executions, llmUsage, rollups } from "@/lib/db/schema";
import { GRANULARITIES, type Granularity } from "@/lib/core/vocabulary";
import { bucketStart, rebuildRollups, refreshRollups } from "@/lib/ingest/rollups";
import { histogramFromDurations } from "@/lib/core/histogram";
import { createTestDatabase } from "./helpers/db";
import { createClient, createWorkflow, insertExecutions } from "./helpers/factories";
import { expectRollupsMatchRaw } from "./helpers/rollup-check";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(() => handle.close());

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const hoursAgo = (h: number) => new Date(Math.floor(Date.now() / HOUR) * HOUR - h * HOUR);

const FIGURES = `total, success, error, crashed, canceled, other, duration_count, duration_sum_ms,
  duration_min_ms, duration_max_ms, minutes_saved`;

type Row = Record<string, number | string | null>;

/** Numbers as numbers (drivers differ on bigint), timestamps as ISO strings. */
function normalise(rows: Array<Record<string, unknown>>): Row[] {
  return rows.map((r) => {
    const out: Row = {};
    for (const [key, value] of Object.entries(r)) {
      if (value === null) out[key] = null;
      else if (value instanceof Date) out[key] = value.toISOString();
      else if (key === "bucket_start") out[key] = new Date(String(value)).toISOString();
      else if (key === "minutes_saved") out[key] = Math.round(Number(value) * 1e6) / 1e6;
      else out[key] = Number(value);
    }
    return out;
  });
}

/** The same figures straight from raw production executions. */
async function rawFigures(clientId: number, g: Granularity) {
  const rows = await queryRows<Record<string, unknown>>(
    handle.db,
    sql`select e.workflow_id, date_trunc(${g}, e.started_at) as bucket_start, count(*) as total,
      count(*) filter (where status = 'success') as success, count(*) filter (where status = 'error') as error,
      count(*) filter (where status = 'crashed') as crashed, count(*) filter (where status = 'canceled') as canceled,
      count(*) filter (where status in ('running', 'waiting', 'new', 'unknown')) as other,
      count(duration_ms) as duration_count, coalesce(sum(duration_ms), 0) as duration_sum_ms,
      min(duration_ms) as duration_min_ms, max(duration_ms) as duration_max_ms,
      coalesce(sum(coalesce(w.minutes_saved_per_execution, c.default_minutes_saved)) filter (where status = 'success'), 0) as minutes_saved
    from executions e join workflows w on w.id = e.workflow_id join clients c on c.id = e.client_id
    where e.client_id = ${clientId} and e.is_production and e.started_at is not null
    group by 1, 2 order by 1, 2`,
  );
  return normalise(rows);
}

async function rollupFigures(clientId: number, g: Granularity) {
  const rows = await queryRows<Record<string, unknown>>(
    handle.db,
    sql`select workflow_id, bucket_start, ${sql.raw(FIGURES)} from rollups
      where client_id = ${clientId} and granularity = ${g} order by 1, 2`,
  );
  return normalise(rows);
}

async function allRollups(clientId: number) {
  return handle.db
    .select()
    .from(rollups)
    .where(eq(rollups.clientId, clientId))
    .orderBy(asc(rollups.granularity), asc(rollups.workflowId), asc(rollups.bucketStart));
}

/** Three workflows, every status, non-production runs, null durations and start times. */
async function seed() {
  const client = await createClient(handle.db, { defaultMinutesSaved: 2 });
  const wfA = await createWorkflow(handle.db, client.id, { minutesSavedPerExecution: 5 });
  const wfB = await createWorkflow(handle.db, client.id);
  const wfC = await createWorkflow(handle.db, client.id, { minutesSavedPerExecution: 0.5 });
  const statuses = ["success", "success", "success", "error", "crashed", "canceled", "running", "waiting"] as const;
  for (const [w, wf] of [wfA, wfB, wfC].entries()) {
    const rows = [];
    // Every ~7 hours over 50 days: crosses days, weeks and at least one month boundary.
    for (let i = 0; i < 170; i++) {
      const status = statuses[(i + w) % statuses.length];
      rows.push({
        startedAt: new Date(hoursAgo(i * 7 + 1).getTime() + ((i * 137) % 3_000_000)),
        status,
        durationMs: status === "running" || i % 11 === 0 ? null : (i * 7919 + w * 31) % 50_000,
        isProduction: i % 9 !== 4,
        mode: i % 9 === 4 ? "manual" : "trigger",
      });
    }
    await insertExecutions(handle.db, { clientId: client.id, workflowId: wf.id }, rows);
  }
  // Never started: no bucket (its first start time was queued, and is recomputed to nothing).
  const [pending] = await insertExecutions(handle.db, { clientId: client.id, workflowId: wfA.id }, [
    { startedAt: hoursAgo(1), status: "new" },
  ]);
  await handle.db
    .update(executions)
    .set({ startedAt: null, stoppedAt: null, durationMs: null })
    .where(eq(executions.id, pending.id));
  return { client, wfA, wfB, wfC };
}

async function queuedKeys(clientId: number) {
  const [row] = await queryRows<{ n: number }>(
    handle.db,
    sql`select count(*)::int as n from rollup_dirty_hours where client_id = ${clientId}`,
  );
  return Number(row.n);
}

async function expectMatchesRaw(clientId: number) {
  for (const g of GRANULARITIES) {
    const raw = await rawFigures(clientId, g);
    expect(raw.length).toBeGreaterThan(0);
    expect(await rollupFigures(clientId, g), g).toEqual(raw);
  }
}

describe("refreshRollups", () => {
  it("matches GROUP BY date_trunc over raw rows at every granularity, histograms included", async () => {
    const { client } = await seed();
    const queued = await queuedKeys(client.id);
    const result = await refreshRollups(handle.db, { clientId: client.id });
    expect(result.keysDrained).toBe(queued);
    expect(result.hourBuckets).toBe((await rawFigures(client.id, "hour")).length);
    expect(result.dayBuckets).toBe((await rawFigures(client.id, "day")).length);
    expect(result.weekBuckets).toBe((await rawFigures(client.id, "week")).length);
    expect(result.monthBuckets).toBe((await rawFigures(client.id, "month")).length);
    expect(result.monthBuckets).toBeGreaterThanOrEqual(6);
    await expectMatchesRaw(client.id);
    await expectRollupsMatchRaw(handle.db, client.id);
    expect(await queuedKeys(client.id)).toBe(0);

    // Histograms equal the histogram of the raw durations of each bucket.
    for (const g of GRANULARITIES) {
      const raw = await queryRows<{ workflow_id: number; b: Date | string; ds: number[] }>(
        handle.db,
        sql`select workflow_id, date_trunc(${g}, started_at) as b, coalesce(jsonb_agg(duration_ms) filter (where duration_ms is not null), '[]') as ds
          from executions where client_id = ${client.id} and is_production and started_at is not null group by 1, 2`,
      );
      const stored = await handle.db
        .select()
        .from(rollups)
        .where(and(eq(rollups.clientId, client.id), eq(rollups.granularity, g)));
      const byKey = new Map(stored.map((r) => [`${r.workflowId}/${r.bucketStart.toISOString()}`, r.latencyHistogram]));
      for (const r of raw) {
        const key = `${r.workflow_id}/${new Date(r.b).toISOString()}`;
        expect(byKey.get(key), key).toEqual(histogramFromDurations(r.ds));
      }
    }
  });

  it("is idempotent: a second refresh writes nothing and rebuilds give identical rows", async () => {
    const { client } = await seed();
    await refreshRollups(handle.db, { clientId: client.id });
    const before = await allRollups(client.id);
    expect(await refreshRollups(handle.db, { clientId: client.id })).toEqual({
      hourBuckets: 0,
      dayBuckets: 0,
      weekBuckets: 0,
      monthBuckets: 0,
      keysDrained: 0,
    });
    expect(await allRollups(client.id)).toEqual(before);

    const range = { clientId: client.id, from: new Date(Date.now() - 60 * DAY), to: new Date(Date.now() + HOUR) };
    const first = await rebuildRollups(handle.db, range);
    const second = await rebuildRollups(handle.db, range);
    expect(second).toEqual(first);
    expect(first.buckets.hour).toBe(before.filter((r) => r.granularity === "hour").length);
    const strip = (rows: typeof before) => rows.map(({ computedAt: _c, ...rest }) => rest);
    const after = await allRollups(client.id);
    // Same rows, same ids (upserts), only computed_at moved.
    expect(strip(after)).toEqual(strip(before));
    await expectMatchesRaw(client.id);
  });

  it("recomputes only the buckets touched by new or changed executions", async () => {
    const { client, wfB } = await seed();
    await refreshRollups(handle.db, { clientId: client.id });
    const before = await allRollups(client.id);

    // One new execution for wfB, 20 days ago, in an hour that already has rows for other workflows.
    const at = new Date(hoursAgo(20 * 24).getTime() + 60_000);
    await insertExecutions(handle.db, { clientId: client.id, workflowId: wfB.id }, [
      { startedAt: at, durationMs: 1234 },
    ]);
    const result = await refreshRollups(handle.db, { clientId: client.id });
    expect(result).toEqual({ hourBuckets: 1, dayBuckets: 1, weekBuckets: 1, monthBuckets: 1, keysDrained: 1 });

    const after = await allRollups(client.id);
    const touched = (r: (typeof after)[number]) =>
      r.workflowId === wfB.id && r.bucketStart.getTime() === bucketStart(at, r.granularity).getTime();
    expect(after.filter(touched)).toHaveLength(4);
    const key = (r: (typeof after)[number]) => `${r.granularity}/${r.workflowId}/${r.bucketStart.toISOString()}`;
    const beforeByKey = new Map(before.map((r) => [key(r), r]));
    for (const r of after) {
      if (touched(r))
        expect(r.computedAt.getTime()).toBeGreaterThan(beforeByKey.get(key(r))?.computedAt.getTime() ?? 0);
      else expect(r).toEqual(beforeByKey.get(key(r)));
    }
    await expectMatchesRaw(client.id);
  });

  it("drops a reclassified execution from its buckets and follows status changes", async () => {
    const client = await createClient(handle.db);
    const wf = await createWorkflow(handle.db, client.id, { minutesSavedPerExecution: 3 });
    const lone = hoursAgo(30);
    const busy = hoursAgo(5);
    const [loneRow, runningRow] = await insertExecutions(handle.db, { clientId: client.id, workflowId: wf.id }, [
      { startedAt: lone, durationMs: 500 },
      { startedAt: busy, status: "running", durationMs: null, stoppedAt: null },
      { startedAt: new Date(busy.getTime() + 60_000), durationMs: 700 },
    ]);
    await refreshRollups(handle.db, { clientId: client.id });
    expect(await rollupFigures(client.id, "hour")).toHaveLength(2);

    // Rules changed: the lone execution is no longer production. The running one finished.
    await handle.db
      .update(executions)
      .set({ isProduction: false, exclusionReason: "pattern:x", updatedAt: new Date() })
      .where(eq(executions.id, loneRow.id));
    await handle.db
      .update(executions)
      .set({ status: "success", durationMs: 2000, stoppedAt: new Date(busy.getTime() + 2000), updatedAt: new Date() })
      .where(eq(executions.id, runningRow.id));
    const result = await refreshRollups(handle.db, { clientId: client.id });
    expect(result.keysDrained).toBe(2);

    const hours = await rollupFigures(client.id, "hour");
    expect(hours).toHaveLength(1);
    expect(hours[0]).toMatchObject({
      bucket_start: busy.toISOString(),
      total: 2,
      success: 2,
      other: 0,
      duration_count: 2,
      duration_sum_ms: 2700,
      minutes_saved: 6,
    });
    await expectMatchesRaw(client.id);
    const days = await rollupFigures(client.id, "day");
    expect(days.reduce((n, d) => n + Number(d.total), 0)).toBe(2);
    expect(hours.some((h) => h.bucket_start === lone.toISOString())).toBe(false);
  });

  it("computes peak concurrency per hour and LLM figures, and merges them upward", async () => {
    const client = await createClient(handle.db);
    const wf = await createWorkflow(handle.db, client.id);
    const h = hoursAgo(50);
    const m = (minutes: number) => new Date(h.getTime() + minutes * 60_000);
    const run = (start: number, end: number | null) => ({
      startedAt: m(start),
      stoppedAt: end === null ? null : m(end),
      durationMs: end === null ? null : (end - start) * 60_000,
      status: end === null ? ("running" as const) : ("success" as const),
    });
    await insertExecutions(handle.db, { clientId: client.id, workflowId: wf.id }, [
      run(-30, 45), // started the hour before: not counted in this hour's peak
      run(0, 10),
      run(5, 20),
      run(6, 7),
      run(20, 30), // starts as the second one stops: no overlap
      run(50, null), // still running
      run(60 + 1, 60 + 2), // next hour: alone
    ]);
    const usage = (minute: number, cost: number | null, key: string) => ({
      clientId: client.id,
      workflowId: wf.id,
      model: "gpt-4o-mini",
      promptTokens: 100,
      completionTokens: 40,
      totalTokens: 140,
      costMicroUsd: cost,
      source: "ingest" as const,
      idempotencyKey: `${client.id}-${key}`,
      occurredAt: m(minute),
    });
    await handle.db.insert(llmUsage).values([usage(1, 250, "a"), usage(2, null, "b"), usage(61, 1000, "c")]);
    await refreshRollups(handle.db, { clientId: client.id });

    const rows = await handle.db
      .select()
      .from(rollups)
      .where(and(eq(rollups.clientId, client.id), eq(rollups.workflowId, wf.id)));
    const at = (g: Granularity, d: Date) =>
      rows.find((r) => r.granularity === g && r.bucketStart.getTime() === bucketStart(d, g).getTime());
    expect(at("hour", m(0))).toMatchObject({
      total: 5,
      peakConcurrency: 3,
      llmCalls: 2,
      tokensIn: 200,
      tokensOut: 80,
      costMicroUsd: 250,
    });
    expect(at("hour", m(-30))).toMatchObject({ total: 1, peakConcurrency: 1, llmCalls: 0 });
    expect(at("hour", m(61))).toMatchObject({ total: 1, peakConcurrency: 1, llmCalls: 1, costMicroUsd: 1000 });
    const hourRows = rows.filter((r) => r.granularity === "hour");
    for (const g of ["day", "week", "month"] as const) {
      const parents = rows.filter((r) => r.granularity === g);
      expect(parents.reduce((n, r) => n + r.total, 0)).toBe(7);
      expect(parents.reduce((n, r) => n + r.llmCalls, 0)).toBe(3);
      expect(parents.reduce((n, r) => n + r.costMicroUsd, 0)).toBe(1250);
      const parentOfBusyHour = at(g, m(0));
      const children = hourRows.filter(
        (r) => bucketStart(r.bucketStart, g).getTime() === parentOfBusyHour?.bucketStart.getTime(),
      );
      expect(parentOfBusyHour?.peakConcurrency).toBe(Math.max(...children.map((c) => c.peakConcurrency)));
    }
  });
});

describe("rebuildRollups", () => {
  it("dry run counts the buckets without writing; a real run restores them", async () => {
    const { client } = await seed();
    await refreshRollups(handle.db, { clientId: client.id });
    const expected = await allRollups(client.id);
    await handle.db.delete(rollups).where(eq(rollups.clientId, client.id));

    const range = { clientId: client.id, from: new Date(Date.now() - 60 * DAY), to: new Date(Date.now() + HOUR) };
    const dry = await rebuildRollups(handle.db, { ...range, dryRun: true });
    expect(dry.dryRun).toBe(true);
    for (const g of GRANULARITIES) expect(dry.buckets[g]).toBe(expected.filter((r) => r.granularity === g).length);
    expect(await allRollups(client.id)).toEqual([]);

    const real = await rebuildRollups(handle.db, range);
    expect(real).toEqual({ ...dry, dryRun: false });
    await expectMatchesRaw(client.id);
  });

  it("limits itself to the client, range and granularities asked for", async () => {
    const a = await seed();
    const b = await seed();
    await refreshRollups(handle.db, { clientId: a.client.id });
    await refreshRollups(handle.db, { clientId: b.client.id });
    const otherBefore = await allRollups(b.client.id);
    const before = await allRollups(a.client.id);

    const from = hoursAgo(48);
    const to = hoursAgo(24);
    const result = await rebuildRollups(handle.db, { clientId: a.client.id, from, to, granularities: ["hour", "day"] });
    expect(result.buckets.hour).toBeGreaterThan(0);
    expect(result.buckets.day).toBeGreaterThan(0);
    expect(result.buckets.week).toBe(0);
    expect(result.buckets.month).toBe(0);
    const after = await allRollups(a.client.id);
    const rebuilt = after.filter((r, i) => r.computedAt.getTime() !== before[i].computedAt.getTime());
    expect(rebuilt.length).toBe(result.buckets.hour + result.buckets.day);
    for (const r of rebuilt) {
      expect(["hour", "day"]).toContain(r.granularity);
      expect(r.bucketStart.getTime()).toBeLessThan(to.getTime());
      expect(r.bucketStart.getTime()).toBeGreaterThanOrEqual(bucketStart(from, r.granularity).getTime());
    }
    expect(await allRollups(b.client.id)).toEqual(otherBefore);
  });
});

// PGlite has one connection, so concurrent transactions only exist on Postgres.
describe.skipIf(!process.env.DATABASE_URL)("refreshRollups under concurrent writes", () => {
  /** Runs `write` in a transaction that stays open until the returned `commit` is called. */
  function openTransaction(write: (tx: Db) => Promise<unknown>) {
    let commit = () => {};
    const released = new Promise<void>((resolve) => (commit = resolve));
    let ready = () => {};
    const written = new Promise<void>((resolve) => (ready = resolve));
    const done = handle.db.transaction(async (tx) => {
      await write(tx as unknown as Db);
      ready();
      await released;
    });
    return { written, commit, done };
  }

  it("leaves a row inserted in another hour during the refresh queued, for the next refresh", async () => {
    const client = await createClient(handle.db);
    const wf = await createWorkflow(handle.db, client.id);
    await insertExecutions(handle.db, { clientId: client.id, workflowId: wf.id }, [{ startedAt: hoursAgo(3) }]);
    const late = openTransaction((tx) =>
      insertExecutions(tx, { clientId: client.id, workflowId: wf.id }, [{ startedAt: hoursAgo(5), durationMs: 42 }]),
    );
    await late.written;
    expect(await refreshRollups(handle.db, { clientId: client.id })).toMatchObject({ hourBuckets: 1, keysDrained: 1 });
    late.commit();
    await late.done;
    expect(await refreshRollups(handle.db, { clientId: client.id })).toMatchObject({ hourBuckets: 1, keysDrained: 1 });
    await expectMatchesRaw(client.id);
  });

  it("waits for a row inserted into a queued hour during the refresh, and counts it", async () => {
    const client = await createClient(handle.db);
    const wf = await createWorkflow(handle.db, client.id);
    await insertExecutions(handle.db, { clientId: client.id, workflowId: wf.id }, [{ startedAt: hoursAgo(3) }]);
    // The insert re-queues the hour: it holds that queue row until it commits.
    const late = openTransaction((tx) =>
      insertExecutions(tx, { clientId: client.id, workflowId: wf.id }, [{ startedAt: hoursAgo(3), durationMs: 42 }]),
    );
    await late.written;
    const refresh = refreshRollups(handle.db, { clientId: client.id });
    await new Promise((resolve) => setTimeout(resolve, 300));
    late.commit();
    await late.done;
    expect(await refresh).toMatchObject({ hourBuckets: 1, keysDrained: 1 });
    expect(await rollupFigures(client.id, "hour")).toMatchObject([{ total: 2 }]);
    expect(await refreshRollups(handle.db, { clientId: client.id })).toMatchObject({ keysDrained: 0 });
    await expectMatchesRaw(client.id);
  });

  it("never drains a key changed after the refresh read it without counting the change", async () => {
    const client = await createClient(handle.db);
    const wf = await createWorkflow(handle.db, client.id);
    const [row] = await insertExecutions(handle.db, { clientId: client.id, workflowId: wf.id }, [
      { startedAt: hoursAgo(3), durationMs: 100 },
    ]);
    // The collector updates the row while the refresh runs; the refresh waits for its lock.
    const update = openTransaction((tx) =>
      tx.update(executions).set({ durationMs: 999, updatedAt: new Date() }).where(eq(executions.id, row.id)),
    );
    await update.written;
    const refresh = refreshRollups(handle.db, { clientId: client.id });
    await new Promise((resolve) => setTimeout(resolve, 300));
    update.commit();
    await update.done;
    expect(await refresh).toMatchObject({ keysDrained: 1 });
    expect(await rollupFigures(client.id, "hour")).toMatchObject([{ total: 1, duration_sum_ms: 999 }]);
    await expectMatchesRaw(client.id);
  });
});

describe("bucketStart", () => {
  it("agrees with date_trunc in SQL, weeks starting Monday", async () => {
    const dates = [0, 1, 2, 3, 4, 5, 6, 7, 40, 400].map(
      (d) => new Date(Date.UTC(2024, 1, 26, 23, 59, 59, 999) + d * DAY),
    );
    for (const g of GRANULARITIES) {
      const rows = await queryRows<{ b: Date | string }>(
        handle.db,
        sql`select date_trunc(${g}, value::timestamptz) as b from jsonb_array_elements_text(${JSON.stringify(dates.map((d) => d.toISOString()))}::jsonb) with ordinality order by ordinality`,
      );
      expect(rows.map((r) => new Date(r.b).toISOString())).toEqual(dates.map((d) => bucketStart(d, g).toISOString()));
    }
    expect(bucketStart(new Date("2024-03-03T10:00:00Z"), "week").toISOString()).toBe("2024-02-26T00:00:00.000Z");
  });
});
