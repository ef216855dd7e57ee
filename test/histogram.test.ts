import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { queryRows, type DatabaseHandle } from "@/lib/db/database";
import { rollups } from "@/lib/db/schema";
import {
  addDense,
  bucketRepresentative,
  denseFromDurations,
  denseQuantiles,
  denseEntries,
  emptyDense,
  HISTOGRAM_ALPHA,
  HISTOGRAM_GAMMA,
  histogramCount,
  histogramFromDurations,
  histogramPercentile,
  histogramPercentiles,
  latencyBucketIndex,
  latencyBucketKey,
  latencyBucketSlot,
  mergeHistograms,
  packHistogram,
  sparseFromPacked,
  toDense,
  unpackHistogram,
  ZERO_KEY,
} from "@/lib/core/histogram";
import { latencySlotSql } from "@/lib/ingest/rollups/compute";
import { refreshRollups } from "@/lib/ingest/rollups";
import { createTestDatabase } from "./helpers/db";
import { createClient, createWorkflow, insertExecutions } from "./helpers/factories";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(() => handle.close());

/** Seeded PRNG (mulberry32), so failures reproduce. */
function prng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function logNormal(random: () => number, mu: number, sigma: number): number {
  const u = 1 - random();
  const v = random();
  return Math.exp(mu + sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
}

/** percentile_cont on a sorted array. */
function exactPercentile(sorted: number[], q: number): number {
  const rank = q * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (rank - lo) * (sorted[hi] - sorted[lo]);
}

describe("histogram (pure)", () => {
  it("puts every value in a bucket whose representative is within alpha", () => {
    let worst = 0;
    let previous = -1;
    for (let ms = 1; ms <= 1_000_000; ms++) {
      const index = latencyBucketIndex(ms) as number;
      if (index < previous) throw new Error(`index not monotonic at ${ms}`);
      previous = index;
      worst = Math.max(worst, Math.abs(bucketRepresentative(index) - ms) / ms);
    }
    expect(worst).toBeLessThanOrEqual(HISTOGRAM_ALPHA + 1e-12);
    expect(worst).toBeGreaterThan(HISTOGRAM_ALPHA * 0.9);
    expect(latencyBucketIndex(1)).toBe(0);
    expect(latencyBucketIndex(0)).toBeNull();
    expect(latencyBucketKey(0)).toBe(ZERO_KEY);
    expect(latencyBucketKey(-5)).toBe(ZERO_KEY);
    expect(bucketRepresentative(ZERO_KEY)).toBe(0);
    expect(latencyBucketIndex(2 ** 31 - 1)).toBe(Math.ceil(Math.log(2 ** 31 - 1) / Math.log(HISTOGRAM_GAMMA)));
  });

  it("merges by adding counts and answers percentiles", () => {
    const a = histogramFromDurations([0, 10, 10, 100]);
    const b = histogramFromDurations([100, 1000]);
    const merged = mergeHistograms([a, null, b, undefined]);
    expect(histogramCount(merged)).toBe(6);
    expect(merged[ZERO_KEY]).toBe(1);
    expect(merged[latencyBucketKey(100)]).toBe(2);
    expect(merged).toEqual(histogramFromDurations([0, 10, 10, 100, 100, 1000]));

    expect(histogramPercentile(merged, 0)).toBe(0);
    expect(histogramPercentile(merged, 1)).toBeCloseTo(1000, -1);
    // Ranks 2 and 3 of [0,10,10,100,100,1000]: 10 and 100, interpolated at 0.5.
    const p50 = histogramPercentile(merged, 0.5) as number;
    expect(Math.abs(p50 - 55) / 55).toBeLessThan(0.01);
    expect(histogramPercentile({}, 0.5)).toBeNull();
    expect(histogramPercentiles(null)).toEqual({ p50: null, p75: null, p90: null, p95: null, p99: null });
    const single = histogramPercentiles(histogramFromDurations([250]));
    for (const value of Object.values(single)) expect(Math.abs((value as number) - 250) / 250).toBeLessThan(0.01);
  });
});

describe("packed histograms (the stored form)", () => {
  it("round-trip every bucket, the zero bucket and large counts, in slot order, from every driver's form", () => {
    const h = { ...histogramFromDurations([0, -5, 1, 2, 1500, 1500, 3_600_000, 2 ** 31 - 1]), "700": 4_000_000_000 };
    const packed = packHistogram(h);
    expect(packed).toEqual([...packed].sort((a, b) => a - b));
    expect(packed[0]).toBe(2); // slot 0 (the 0 ms bucket) holds the two non-positive durations
    expect(unpackHistogram(packed)).toEqual(h);
    expect(unpackHistogram(packed.map(String))).toEqual(h);
    expect(unpackHistogram(packed.map((v) => BigInt(v)))).toEqual(h);
    expect(unpackHistogram(`{${packed.join(",")}}`)).toEqual(h);
    expect(unpackHistogram("{}")).toEqual({});
    expect(unpackHistogram(null)).toEqual({});
    const entries = [...denseEntries(toDense(h))];
    expect([...denseEntries(sparseFromPacked(packed))]).toEqual(entries);
    expect([...denseEntries(sparseFromPacked([...packed].reverse()))]).toEqual(entries);
    expect(sparseFromPacked(packed).indexes).toEqual(
      Object.keys(h)
        .filter((k) => k !== ZERO_KEY)
        .map(Number)
        .sort((a, b) => a - b),
    );
    expect(latencyBucketSlot(0)).toBe(0);
    expect(latencyBucketSlot(1500)).toBe((latencyBucketIndex(1500) as number) + 2048);
  });
});

describe("histogram index in SQL", () => {
  it("equals the JS index for every value from 0 to 100000 and near every bucket boundary", async () => {
    const rows = await queryRows<{ v: number; k: unknown }>(
      handle.db,
      sql`select v, ${latencySlotSql(sql`v`)} as k from generate_series(-2, 100000) v order by v`,
    );
    expect(rows).toHaveLength(100_003);
    const mismatches = rows.filter((r) => Number(r.k) !== latencyBucketSlot(Number(r.v)));
    expect(mismatches).toEqual([]);

    // Integers closest to each boundary gamma^k, where rounding differences would show.
    const values = new Set<number>();
    for (let k = 0; Math.pow(HISTOGRAM_GAMMA, k) < 2 ** 31 - 2; k++) {
      const boundary = Math.pow(HISTOGRAM_GAMMA, k);
      for (const v of [Math.floor(boundary) - 1, Math.floor(boundary), Math.ceil(boundary), Math.ceil(boundary) + 1]) {
        if (v >= 1 && v < 2 ** 31) values.add(v);
      }
    }
    const random = prng(7);
    for (let i = 0; i < 20_000; i++) values.add(1 + Math.floor(random() * (2 ** 31 - 2)));
    const list = [...values];
    const edge = await queryRows<{ v: number; k: unknown }>(
      handle.db,
      sql`select v, ${latencySlotSql(sql`v`)} as k
        from (select value::int as v from jsonb_array_elements_text(${JSON.stringify(list)}::jsonb)) x`,
    );
    expect(edge).toHaveLength(list.length);
    expect(edge.filter((r) => Number(r.k) !== latencyBucketSlot(Number(r.v)))).toEqual([]);
  });
});

describe("percentiles from merged rollups", () => {
  it("lie within 2% of percentile_cont over raw rows, for 30 days of hourly buckets", async () => {
    const client = await createClient(handle.db);
    const wfs = await Promise.all([0, 1, 2, 3].map(() => createWorkflow(handle.db, client.id)));
    const random = prng(42);
    const start = Date.now() - 31 * 86_400_000;
    // Each workflow has its own latency profile; ~5000 executions over 30 days.
    const profiles = [
      { mu: Math.log(300), sigma: 0.8 },
      { mu: Math.log(2_000), sigma: 1.2 },
      { mu: Math.log(45_000), sigma: 0.6 },
      { mu: Math.log(900), sigma: 1.6 },
    ];
    for (const [i, wf] of wfs.entries()) {
      const rows = Array.from({ length: 1250 }, () => ({
        startedAt: new Date(start + Math.floor(random() * 30 * 86_400_000)),
        durationMs: Math.max(1, Math.round(logNormal(random, profiles[i].mu, profiles[i].sigma))),
      }));
      await insertExecutions(handle.db, { clientId: client.id, workflowId: wf.id }, rows);
    }
    await refreshRollups(handle.db, { clientId: client.id });

    const qs = [0.5, 0.75, 0.9, 0.95, 0.99];
    const check = async (workflowId: number | null) => {
      const wfFilter = workflowId === null ? sql`` : sql` and workflow_id = ${workflowId}`;
      const [exact] = await queryRows<Record<string, number>>(
        handle.db,
        sql`select ${sql.join(
          qs.map(
            (q) =>
              sql`percentile_cont(${sql.raw(String(q))}) within group (order by duration_ms) as ${sql.identifier(`p${q * 100}`)}`,
          ),
          sql`, `,
        )} from executions where client_id = ${client.id}${wfFilter}`,
      );
      const hours = await handle.db
        .select({ h: rollups.latencyHistogram, workflowId: rollups.workflowId })
        .from(rollups)
        .where(and(eq(rollups.clientId, client.id), eq(rollups.granularity, "hour")));
      const selected = hours.filter((r) => workflowId === null || r.workflowId === workflowId);
      expect(selected.length).toBeGreaterThan(workflowId === null ? 2000 : 500);
      const merged = mergeHistograms(selected.map((r) => r.h));
      expect(histogramCount(merged)).toBe(workflowId === null ? 5000 : 1250);
      for (const q of qs) {
        const want = Number(exact[`p${q * 100}`]);
        const got = histogramPercentile(merged, q) as number;
        expect(Math.abs(got - want) / want, `q=${q} wf=${workflowId} got=${got} want=${want}`).toBeLessThan(0.02);
      }
      return merged;
    };
    const all = await check(null);
    for (const wf of wfs) await check(wf.id);

    // Merging in SQL (month rows from days from hours) gives the very same histogram.
    const months = await handle.db
      .select({ h: rollups.latencyHistogram })
      .from(rollups)
      .where(and(eq(rollups.clientId, client.id), eq(rollups.granularity, "month")));
    expect(mergeHistograms(months.map((r) => r.h))).toEqual(all);
    const raw = await queryRows<{ d: number }>(
      handle.db,
      sql`select duration_ms as d from executions where client_id = ${client.id}`,
    );
    expect(all).toEqual(histogramFromDurations(raw.map((r) => Number(r.d))));
    const sorted = raw.map((r) => Number(r.d)).sort((a, b) => a - b);
    expect(
      Math.abs((histogramPercentile(all, 0.5) as number) - exactPercentile(sorted, 0.5)) / exactPercentile(sorted, 0.5),
    ).toBeLessThan(0.02);
  });
});

describe("dense histograms (merged in the app)", () => {
  it("merge element-wise into the same histogram as the sparse form, and give the same percentiles", () => {
    const rand = prng(11);
    const parts = Array.from({ length: 40 }, (_, i) =>
      Array.from({ length: 1 + Math.floor(rand() * 60) }, () =>
        // Each part its own span of magnitudes (and some zeros), so merges widen both ways.
        rand() < 0.05 ? 0 : Math.floor(Math.exp(rand() * 6 + (i % 7))),
      ),
    );
    const merged = emptyDense();
    // Dense and sparse parts alike, as a range adds raw edges and stored rows.
    parts.forEach((part, i) =>
      addDense(
        merged,
        i % 2 ? denseFromDurations(part) : sparseFromPacked(packHistogram(histogramFromDurations(part))),
      ),
    );
    const all = parts.flat();
    expect([...denseEntries(merged)]).toEqual([...denseEntries(denseFromDurations(all))]);
    const sparse = histogramFromDurations(all);
    const qs = [0, 0.01, 0.5, 0.75, 0.9, 0.95, 0.99, 1];
    expect(denseQuantiles(merged, qs)).toEqual(qs.map((q) => histogramPercentile(sparse, q)));
    expect(merged.zero + merged.counts.reduce((a, b) => a + b, 0)).toBe(all.length);
  });

  it("leaves the added histogram unchanged and answers nulls when empty", () => {
    const a = denseFromDurations([5, 500]);
    const before = structuredClone(a);
    addDense(emptyDense(), a);
    addDense(denseFromDurations([50_000]), a);
    expect(a).toEqual(before);
    expect(denseQuantiles(emptyDense(), [0.5])).toEqual([null]);
  });
});
