/**
 * The promise of Flowscope as a property: whatever happens in n8n (new runs, runs that
 * finish late or start late, deletions, renames) and to the collector (faults, syncs
 * that fail midway, rollups and retention at any moment), after a final clean sync and
 * rollup:
 * - every execution n8n created is stored, or was counted and then dropped by retention,
 *   except the ones n8n deleted before Flowscope saw them, and the ledger lists exactly
 *   those as missing;
 * - every bucket at every level equals a recomputation from the raw rows that still
 *   exist plus what retention archived.
 * Random interleavings from fixed seeds, so a failure replays.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, inArray, sql } from "drizzle-orm";
import { queryRows, type DatabaseHandle } from "@/lib/db/database";
import { collectGaps, collectRanges, executions, syncRuns } from "@/lib/db/schema";
import { syncClient } from "@/lib/ingest/collect";
import { loadCoverage } from "@/lib/ingest/collect/coverage";
import { rebuildRollups, refreshRollups, runRetention } from "@/lib/ingest/rollups";
import { reclassifyClient } from "@/lib/ingest/classify/reclassify";
import { N8nClient } from "@/lib/n8n";
import { n8nApiKeyOf } from "@/lib/clients/connection";
import { InMemorySource, startFakeN8n, type FakeN8n } from "@/lib/n8n/fake";
import { createTestDatabase } from "./helpers/db";
import { createClient } from "./helpers/factories";
import { COUNTED_COLUMNS, expectRollupsMatchRaw } from "./helpers/rollup-check";

const KEY = "property-key";
const HOUR = 3_600_000;

let handle: DatabaseHandle;
const servers: FakeN8n[] = [];
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await handle.close();
});

/** mulberry32: small, seedable, good enough to pick actions. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
  };
}

const WORKFLOWS = [
  { id: "w1", name: "Orders" },
  { id: "w2", name: "Leads" },
  { id: "w3", name: "Billing", settings: { timeSavedPerExecution: 2 } },
];
const FINAL = ["success", "error", "crashed", "canceled"] as const;

async function world(seed: number) {
  const rand = prng(seed);
  let now = Date.parse("2026-06-01T00:00:00Z");
  const source = new InMemorySource({ workflows: WORKFLOWS });
  const server = await startFakeN8n({ apiKey: KEY, source, now: () => new Date(now) });
  servers.push(server);
  const client = await createClient(handle.db, { n8nBaseUrl: server.url, n8nApiKey: KEY });

  let nextId = 1;
  const created = new Set<number>();
  /** Ids in n8n now, with whether they are unfinished. */
  const live = new Map<number, { unfinished: boolean; startedAt: number | null }>();
  const deletedBeforeSight = new Set<number>();
  const droppedByRetention = new Set<number>();
  /** What happened, for PROPERTY_DEBUG. */
  const log: string[] = [];

  const stored = async (ids?: number[]) => {
    const where = ids
      ? and(eq(executions.clientId, client.id), inArray(executions.n8nExecutionId, ids))
      : eq(executions.clientId, client.id);
    const rows = await handle.db.select({ id: executions.n8nExecutionId }).from(executions).where(where);
    return new Set(rows.map((r) => r.id));
  };

  const connect = () =>
    new N8nClient({ baseUrl: server.url, apiKey: n8nApiKeyOf(client), sleep: async () => {}, maxRetries: 1 });
  const sync = async (gapProbeLimit: number) => {
    try {
      const run = await syncClient(handle.db, {
        clientId: client.id,
        trigger: "manual",
        now: new Date(now),
        connect,
        gapProbeLimit,
      });
      log.push(`sync ok [${nextId - 1} ${JSON.stringify(run.details.ledger)}`);
    } catch (err) {
      log.push(`sync failed [${nextId - 1} ${String(err).slice(0, 80)}`);
      throw err;
    }
  };

  const add = (count: number, late: boolean, finishedOnly = false) => {
    for (let i = 0; i < count; i++) {
      const id = nextId++;
      const kind = finishedOnly ? 1 : rand.next();
      // Late rows start days ago (older than raw retention below); most start in the last hours.
      const startedAt = late ? now - rand.int(3 * 24, 9 * 24) * HOUR : now - rand.int(0, 5 * 60) * 60_000;
      const workflowId = rand.pick(WORKFLOWS).id;
      const mode = rand.next() < 0.1 ? "manual" : "trigger";
      if (kind < 0.12) {
        source.addExecutions({
          id,
          workflowId,
          mode,
          status: "running",
          startedAt: new Date(startedAt),
          stoppedAt: null,
        });
        log.push(`add ${id} running`);
        live.set(id, { unfinished: true, startedAt });
      } else if (kind < 0.17) {
        // Queued: no start time yet (no bucket until it starts).
        source.addExecutions({ id, workflowId, mode, status: "new", startedAt: null, stoppedAt: null });
        log.push(`add ${id} new`);
        live.set(id, { unfinished: true, startedAt: null });
      } else {
        const status = rand.next() < 0.85 ? "success" : rand.pick(FINAL);
        const stoppedAt = new Date(startedAt + rand.int(50, 20 * 60_000));
        source.addExecutions({ id, workflowId, mode, status, startedAt: new Date(startedAt), stoppedAt });
        live.set(id, { unfinished: false, startedAt });
      }
      created.add(id);
    }
  };

  const finishOne = (which?: number) => {
    const open = [...live].filter(([, v]) => v.unfinished);
    if (open.length === 0) return;
    const [id, v] = which === undefined ? rand.pick(open) : open.find(([k]) => k === which)!;
    // A queued run starts now; a few report a shifted start (its rows move to another hour).
    const startedAt = v.startedAt ?? now - rand.int(1, 30) * 60_000;
    const shifted = rand.next() < 0.3 ? startedAt - rand.int(1, 3) * HOUR : startedAt;
    source.updateExecution(id, {
      status: rand.pick(FINAL),
      startedAt: new Date(shifted),
      stoppedAt: new Date(Math.max(shifted + 100, now - 60_000)),
    });
    live.set(id, { unfinished: false, startedAt: shifted });
    log.push(`finish ${id} `);
  };

  const deleteOne = async () => {
    if (live.size === 0) return;
    const [id] = rand.pick([...live]);
    const seen = (await stored([id])).has(id);
    source.removeExecution(id);
    live.delete(id);
    log.push(`delete ${id} seen=${seen}`);
    if (!seen && !droppedByRetention.has(id)) deletedBeforeSight.add(id);
  };

  /** Production executions with a start that retention dropped: counted in the archive, never again. */
  let droppedProduction = 0;
  const retention = async () => {
    const before = await handle.db
      .select({ id: executions.n8nExecutionId, production: executions.isProduction, startedAt: executions.startedAt })
      .from(executions)
      .where(eq(executions.clientId, client.id));
    await runRetention(handle.db, {
      clientId: client.id,
      now: new Date(now),
      rawDays: 2,
      hourlyDays: 4,
      dailyDays: 10,
      weeklyDays: 20,
    });
    const after = await stored();
    for (const row of before) {
      if (after.has(row.id)) continue;
      droppedByRetention.add(row.id);
      if (row.production && row.startedAt) droppedProduction += 1;
    }
  };

  let renamed = false;
  const steps = async (count: number) => {
    for (let step = 0; step < count; step++) {
      now += rand.int(1, 8) * HOUR;
      const r = rand.next();
      if (r < 0.3) add(rand.int(1, 40), rand.next() < 0.15);
      else if (r < 0.42) for (let i = rand.int(1, 4); i > 0; i--) finishOne();
      else if (r < 0.5) for (let i = rand.int(1, 3); i > 0; i--) await deleteOne();
      else if (r < 0.55) {
        renamed = !renamed;
        source.updateWorkflow("w2", { name: renamed ? "Leads (test)" : "Leads" });
      } else if (r < 0.62) {
        // An outage longer than the retries, on the list or on single executions.
        const path = rand.pick(["/api/v1/executions", "/api/v1/executions/", "/api/v1/workflows"]);
        server.faults.serverErrors(rand.int(2, 6), 500, { path });
      } else if (r < 0.82) await sync(rand.int(0, 30)).catch(() => undefined);
      else if (r < 0.9) await refreshRollups(handle.db, { clientId: client.id });
      else await retention();
    }
  };

  const finish = async () => {
    server.faults.reset();
    // n8n keeps running: the newest id is a finished one Flowscope can see, so every
    // deleted or running id lies below it.
    now += HOUR;
    add(1, false, true);
    // Everything finishes in the end, so nothing is hidden from the list any more (one
    // running under the oldest listed id at the first read is found only once it finishes).
    for (const [id, v] of [...live]) if (v.unfinished) finishOne(id);
    await sync(100_000);
    await refreshRollups(handle.db, { clientId: client.id });
  };

  return {
    client,
    steps,
    finish,
    stored,
    created,
    deletedBeforeSight,
    droppedByRetention,
    droppedProduction: () => droppedProduction,
    log,
    resync: () => sync(100_000),
  };
}

describe("integrity under random interleavings", () => {
  it.each((process.env.PROPERTY_SEEDS ?? "11,23,47,101").split(",").map(Number))(
    "seed %i: every execution is held or accounted for, every bucket is provable",
    async (seed) => {
      const w = await world(seed);
      await w.steps(60);
      await w.finish();

      const held = await w.stored();
      const expected = [...w.created].filter((id) => !w.deletedBeforeSight.has(id)).sort((a, b) => a - b);
      // An execution retention dropped was counted; collecting it again would count it twice.
      expect([...held].filter((id) => w.droppedByRetention.has(id))).toEqual([]);
      const accounted = [...held, ...w.droppedByRetention].sort((a, b) => a - b);
      if (process.env.PROPERTY_DEBUG) {
        const lost = expected.filter((id) => !accounted.includes(id));
        const ranges = await handle.db.select().from(collectRanges).where(eq(collectRanges.clientId, w.client.id));
        const g = await handle.db.select().from(collectGaps).where(eq(collectGaps.clientId, w.client.id));
        console.log(
          "lost",
          lost,
          "ranges",
          ranges.map((r) => [r.lo, r.hi]),
          "gaps",
          g.map((x) => [x.lo, x.hi, x.state]),
          w.log.filter((l) => lost.some((id) => l.includes(` ${id} `) || l.includes(`[${id}`))),
        );
      }
      expect(accounted).toEqual(expected);

      const gaps = await handle.db.select().from(collectGaps).where(eq(collectGaps.clientId, w.client.id));
      const missing = gaps
        .filter((g) => g.state === "missing")
        .flatMap((g) => Array.from({ length: g.hi - g.lo + 1 }, (_, i) => g.lo + i));
      // Ids under the floor (the oldest id n8n listed at the first full read) predate the history.
      const { floorId } = await loadCoverage(handle.db, w.client.id);
      const deletedInHistory = [...w.deletedBeforeSight].filter((id) => id >= (floorId ?? 0));
      expect(missing.sort((a, b) => a - b)).toEqual(deletedInHistory.sort((a, b) => a - b));
      expect(gaps.filter((g) => g.state === "unprobed")).toEqual([]);
      // Collected means stored now or counted and dropped by retention: the share does not fall with retention.
      expect(await loadCoverage(handle.db, w.client.id)).toMatchObject({
        idsToRead: 0,
        idsUnprobed: 0,
        idsSeen: held.size + w.droppedByRetention.size,
      });

      const stuck = await handle.db
        .select()
        .from(syncRuns)
        .where(and(eq(syncRuns.clientId, w.client.id), inArray(syncRuns.status, ["queued", "running"])));
      expect(stuck).toEqual([]);

      await expectRollupsMatchRaw(handle.db, w.client.id);
      // And the buckets count each execution once: the production executions held now plus
      // those retention dropped (counted as they were classified then).
      const [heldProduction] = await queryRows<{ n: number }>(
        handle.db,
        sql`select count(*)::int as n from executions where client_id = ${w.client.id} and is_production and started_at is not null`,
      );
      const [months] = await queryRows<{ n: number }>(
        handle.db,
        sql`select coalesce(sum(total), 0)::int as n from rollups where client_id = ${w.client.id} and granularity = 'month'`,
      );
      expect(months.n).toBe(heldProduction.n + w.droppedProduction());

      // Re-running sync, rollup, backfill and reclassify changes no counted column.
      const snapshot = () =>
        queryRows<Record<string, unknown>>(
          handle.db,
          sql`select granularity, workflow_id, bucket_start, ${sql.raw(COUNTED_COLUMNS.join(", "))} from rollups
          where client_id = ${w.client.id} order by granularity, workflow_id, bucket_start`,
        );
      const before = await snapshot();
      await w.resync();
      await refreshRollups(handle.db, { clientId: w.client.id });
      await rebuildRollups(handle.db, {
        clientId: w.client.id,
        from: new Date("2026-01-01T00:00:00Z"),
        to: new Date("2028-01-01T00:00:00Z"),
      });
      await reclassifyClient(handle.db, { clientId: w.client.id, trigger: "manual" });
      await refreshRollups(handle.db, { clientId: w.client.id });
      expect(await snapshot()).toEqual(before);
    },
    120_000,
  );
});
