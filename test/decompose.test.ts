import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { queryRows, type DatabaseHandle } from "@/lib/db/database";
import { llmUsage } from "@/lib/db/schema";
import { bucketStart, rebuildRollups } from "@/lib/ingest/rollups";
import { BucketCalendar, loadCalendar } from "@/lib/ingest/rollups/calendar";
import { changeClientTimeZone, type ZoneChange } from "@/lib/ingest/rollups/zone-change";
import {
  decompose,
  decomposePrevious,
  decomposeSeries,
  horizonsAt,
  pieceKey,
  type Horizons,
  type Piece,
} from "@/lib/metrics/decompose";
import { readPieces } from "@/lib/metrics/read-pieces";
import { tallyFigures } from "@/lib/metrics/tally";
import { createTestDatabase } from "./helpers/db";
import { createClient, createWorkflow, insertExecutions } from "./helpers/factories";
import { expectRollupsMatchRaw } from "./helpers/rollup-check";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Not on any boundary, so relative ranges have raw edges. */
const NOW = new Date("2026-06-15T10:17:23.456Z");

/** Deterministic pseudo-random numbers (a linear congruential generator). */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Where a piece really begins and ends on `calendar` (a bucket holds the hours from its first whole hour). */
const spanOn =
  (calendar: BucketCalendar) =>
  (p: Piece): [number, number] =>
    p.kind === "raw"
      ? [p.from.getTime(), p.to.getTime()]
      : [calendar.start(p.start).getTime(), calendar.start(calendar.nextLabel(p.start, p.level)).getTime()];
const pieceSpan = spanOn(BucketCalendar.UTC);

const zoned = (timeZone: string) => new BucketCalendar([{ timeZone, starts: null, ends: null }]);
/** UTC until Kolkata's May 2026 began, Kolkata since: a client whose zone changed. */
const ZONE_CHANGE = new Date("2026-04-30T18:30:00Z");
const CALENDARS: Array<[string, BucketCalendar]> = [
  ["UTC", BucketCalendar.UTC],
  ["Asia/Kolkata", zoned("Asia/Kolkata")],
  ["America/New_York", zoned("America/New_York")],
  [
    "UTC then Asia/Kolkata",
    new BucketCalendar([
      { timeZone: "UTC", starts: null, ends: ZONE_CHANGE },
      { timeZone: "Asia/Kolkata", starts: ZONE_CHANGE, ends: null },
    ]),
  ],
];

describe("decompose", () => {
  const horizons: Horizons = horizonsAt(NOW);

  it.each(CALENDARS)(
    "covers every range exactly with disjoint pieces, raw only at its edges and only where raw rows are kept (%s)",
    (_, calendar) => {
      const span = spanOn(calendar);
      const next = random(7);
      for (let i = 0; i < 1000; i++) {
        const start = new Date(NOW.getTime() - next() * 800 * DAY);
        const end = new Date(
          Math.min(NOW.getTime(), start.getTime() + 1 + next() * (next() < 0.5 ? 3 * HOUR : 400 * DAY)),
        );
        const d = decompose(start, end, horizons, calendar);
        expect(d.start <= start && d.end >= end).toBe(true);
        const spans = d.pieces.map(span).sort((a, b) => a[0] - b[0]);
        expect(spans[0][0]).toBe(d.start.getTime());
        expect(spans[spans.length - 1][1]).toBe(d.end.getTime());
        for (let k = 1; k < spans.length; k++)
          expect(spans[k][0], `${start.toISOString()}..${end.toISOString()}`).toBe(spans[k - 1][1]);
        for (const p of d.pieces) {
          if (p.kind === "raw") {
            expect(p.from >= horizons.raw).toBe(true);
            expect(p.to.getTime() - p.from.getTime()).toBeLessThanOrEqual(2 * HOUR);
          } else {
            // Keyed by the calendar's own labels, at levels retention still holds.
            expect(calendar.label(calendar.start(p.start), p.level)).toEqual(p.start);
            if (p.level === "hour") expect(p.start >= horizons.hour).toBe(true);
            else if (p.level === "day") expect(p.start >= horizons.day).toBe(true);
          }
        }
        // Within raw retention the answer is exact.
        if (start >= horizons.raw) expect([d.start, d.end]).toEqual([start, end]);
        expect(d.pieces.filter((p) => p.kind === "raw").length).toBeLessThanOrEqual(2);
      }
    },
  );

  it("widens an edge only where retention forces it, and the previous period ends where the range starts", () => {
    // Hour rows from 12:34 on: a range after that on the same day needs none before it.
    const day = new Date("2026-06-01T00:00:00Z");
    const h: Horizons = {
      raw: new Date("2026-06-01T12:00:00Z"),
      hour: new Date("2026-06-01T12:34:00Z"),
      day: new Date("2025-01-01T00:00:00Z"),
    };
    const within = decompose(new Date("2026-06-01T13:10:00Z"), new Date("2026-06-01T15:20:00Z"), h);
    expect([within.start, within.end]).toEqual([new Date("2026-06-01T13:10:00Z"), new Date("2026-06-01T15:20:00Z")]);
    // From an earlier day, the hours of this day before 12:34 would be needed: the end widens to the day's end.
    const across = decompose(new Date("2026-05-20T00:00:00Z"), new Date("2026-06-01T15:20:00Z"), h);
    expect(across.end).toEqual(new Date(day.getTime() + DAY));

    const next = random(3);
    for (let i = 0; i < 500; i++) {
      const start = new Date(NOW.getTime() - next() * 700 * DAY);
      const current = decompose(
        start,
        new Date(Math.min(NOW.getTime(), start.getTime() + next() * 400 * DAY)),
        horizons,
      );
      const previous = decomposePrevious(current, horizons);
      expect(previous.end).toEqual(current.start);
      const [first] = current.pieces.map(pieceSpan).sort((a, b) => a[0] - b[0]);
      const last = Math.max(...previous.pieces.map((p) => pieceSpan(p)[1]));
      expect(last).toBeLessThanOrEqual(first[0]);
    }
  });

  it("answers a 1 h range from raw rows and a year from about a dozen months", () => {
    const hour = decompose(new Date(NOW.getTime() - HOUR), NOW, horizons);
    expect(hour.pieces.every((p) => p.kind === "raw")).toBe(true);
    const year = decompose(new Date(NOW.getTime() - 365 * DAY), NOW, horizons);
    const count = (level: string) => year.pieces.filter((p) => p.kind === "bucket" && p.level === level).length;
    expect(count("month")).toBe(11);
    expect(count("day")).toBeLessThanOrEqual(62);
    expect(count("hour")).toBeLessThanOrEqual(46);
    // A year back is past raw and hourly retention: its start widens to the covering day.
    expect(year.start).toEqual(bucketStart(new Date(NOW.getTime() - 365 * DAY), "day"));
    expect(year.end).toEqual(NOW);
  });

  it("splits a series into buckets clipped to the range, which add up to the range", () => {
    const start = new Date(NOW.getTime() - 3 * DAY - 5 * MINUTE);
    const { range, buckets } = decomposeSeries(start, NOW, "day", horizons);
    expect(buckets[0].start).toEqual(start);
    expect(buckets[0].bucket).toEqual(bucketStart(start, "day"));
    expect(buckets[buckets.length - 1].end).toEqual(NOW);
    const keys = (ps: Piece[]) => ps.map(pieceKey).sort();
    expect(keys(buckets.flatMap((b) => b.pieces))).toEqual(keys(range.pieces));
  });
});

describe("decomposed figures against raw SQL", () => {
  let handle: DatabaseHandle;
  /** One client per zone, the same kind of data each; the last one's zone changed after its rollups were built. */
  const clients: Array<{ label: string; id: number; calendar: BucketCalendar }> = [];
  let change: ZoneChange;

  async function seedClient(db: DatabaseHandle["db"], timeZone: string, seed: number): Promise<number> {
    const client = await createClient(db, { defaultMinutesSaved: 2, timeZone });
    const next = random(seed);
    const statuses = ["success", "success", "success", "error", "crashed", "canceled", "waiting"] as const;
    for (let w = 0; w < 3; w++) {
      const wf = await createWorkflow(db, client.id, {
        name: `Workflow ${w}`,
        minutesSavedPerExecution: w === 0 ? 5 : null,
      });
      const rows = Array.from({ length: 1500 }, () => {
        const startedAt = new Date(NOW.getTime() - 1 - Math.floor(next() * 120 * DAY));
        const status = statuses[Math.floor(next() * statuses.length)];
        // Long-tailed durations, some zero, some missing (still running).
        const durationMs = status === "waiting" ? null : Math.floor(Math.exp(next() * 14)) - 1;
        return {
          startedAt,
          status,
          durationMs,
          stoppedAt: durationMs === null ? null : new Date(startedAt.getTime() + durationMs),
          isProduction: next() < 0.9,
        };
      });
      await insertExecutions(db, { clientId: client.id, workflowId: wf.id }, rows);
      await db.insert(llmUsage).values(
        Array.from({ length: 200 }, (_, i) => ({
          clientId: client.id,
          workflowId: wf.id,
          model: "gpt-4o-mini",
          promptTokens: 100 + i,
          completionTokens: 10 + i,
          totalTokens: 110 + 2 * i,
          costMicroUsd: 1000 + i,
          source: "ingest" as const,
          idempotencyKey: `u-${client.id}-${w}-${i}`,
          occurredAt: new Date(NOW.getTime() - 1 - Math.floor(next() * 120 * DAY)),
        })),
      );
    }
    await rebuildRollups(db, { clientId: client.id, from: new Date(NOW.getTime() - 200 * DAY), to: NOW });
    return client.id;
  }

  beforeAll(async () => {
    handle = await createTestDatabase();
    const db = handle.db;
    for (const [i, zone] of ["UTC", "Asia/Kolkata", "America/New_York"].entries()) {
      const id = await seedClient(db, zone, 42 + i);
      clients.push({ label: zone, id, calendar: await loadCalendar(db, id) });
    }
    const changed = await seedClient(db, "UTC", 45);
    change = await changeClientTimeZone(db, changed, "Asia/Kolkata", { now: NOW });
    clients.push({ label: "UTC, then Asia/Kolkata", id: changed, calendar: await loadCalendar(db, changed) });
  }, 120_000);
  afterAll(() => handle.close());

  async function rawFigures(clientId: number, from: Date, to: Date) {
    const [e] = await queryRows<Record<string, unknown>>(
      handle.db,
      sql`select count(*)::int as total, count(*) filter (where status = 'success')::int as success,
        count(*) filter (where status in ('error', 'crashed'))::int as failures,
        coalesce(sum(duration_ms), 0)::float8 as duration_sum,
        percentile_cont(0.5) within group (order by duration_ms) as p50,
        percentile_cont(0.95) within group (order by duration_ms) as p95
      from executions where client_id = ${clientId} and is_production
        and started_at >= ${from.toISOString()}::timestamptz and started_at < ${to.toISOString()}::timestamptz`,
    );
    const [u] = await queryRows<Record<string, unknown>>(
      handle.db,
      sql`select count(*)::int as calls, coalesce(sum(cost_micro_usd), 0)::float8 as cost from llm_usage
      where client_id = ${clientId} and occurred_at >= ${from.toISOString()}::timestamptz
        and occurred_at < ${to.toISOString()}::timestamptz`,
    );
    return { ...e, ...u };
  }

  it("keeps every bucket equal to its sources in the client's zone, and one client row per bucket", async () => {
    for (const c of clients) await expectRollupsMatchRaw(handle.db, c.id);
  });

  it("changes a zone from the first new-zone month whose hours are all held, and says so", async () => {
    // Hour rows are held from 90 days before NOW (2026-03-17T10:17Z): Kolkata's April starts on 2026-03-31T18:30Z.
    expect(change).toMatchObject({ timeZone: "Asia/Kolkata", previousTimeZone: "UTC" });
    expect(change.timeZoneFrom).toEqual(new Date("2026-03-31T18:30:00Z"));
    expect(change.rebuilt.day).toBeGreaterThan(70);
    const changed = clients[clients.length - 1];
    expect(changed.calendar.spans.map((s) => s.timeZone)).toEqual(["UTC", "Asia/Kolkata"]);
    // The figures by local day equal raw rows grouped by the local day of their hour.
    const { buckets } = decomposeSeries(
      new Date("2026-05-01T00:00:00Z"),
      new Date("2026-06-01T00:00:00Z"),
      "day",
      horizonsAt(NOW),
      changed.calendar,
    );
    const pieces = await readPieces(handle.db, [changed.id], buckets);
    const byDay = await queryRows<{ day: Date | string; total: number }>(
      handle.db,
      sql`select date_trunc('day', date_trunc('hour', started_at), 'Asia/Kolkata') as day, count(*)::int as total
      from executions where client_id = ${changed.id} and is_production
        and started_at >= '2026-05-01T00:00:00Z' and started_at < '2026-06-01T00:00:00Z' group by 1`,
    );
    const expected = new Map(byDay.map((r) => [new Date(r.day).toISOString(), Number(r.total)]));
    for (const b of buckets) {
      expect(pieces.tally(b, changed.id)?.total ?? 0, b.bucket.toISOString()).toBe(
        expected.get(b.bucket.toISOString()) ?? 0,
      );
    }
    expect(
      buckets.filter((b) => b.pieces.some((p) => p.kind === "bucket" && p.level === "day")).length,
    ).toBeGreaterThan(25);
  });

  it.each([0, 1, 2, 3])(
    "counts any range exactly as raw SQL does, within and beyond raw retention; percentiles within 2% (client %i)",
    async (index) => {
      const { id, calendar, label: zone } = clients[index];
      const next = random(99 + index);
      const horizons = horizonsAt(NOW);
      for (let i = 0; i < 30; i++) {
        const start = new Date(NOW.getTime() - next() * 115 * DAY);
        const length = next() < 0.3 ? next() * 3 * HOUR : next() * 60 * DAY;
        const end = new Date(Math.min(NOW.getTime(), start.getTime() + 1 + length));
        const d = decompose(start, end, horizons, calendar);
        const pieces = await readPieces(handle.db, [id], [d]);
        const f = tallyFigures(pieces.tally(d, id));
        const raw = await rawFigures(id, d.start, d.end);
        const label = `${zone} ${d.start.toISOString()}..${d.end.toISOString()}`;
        expect(f?.total ?? 0, label).toBe(Number(raw.total));
        expect(f?.success ?? 0, label).toBe(Number(raw.success));
        expect(f ? f.error + f.crashed : 0, label).toBe(Number(raw.failures));
        expect(f?.durationSumMs ?? 0, label).toBe(Number(raw.duration_sum));
        expect(f?.llmCalls ?? 0, label).toBe(Number(raw.calls));
        expect(f?.costMicroUsd ?? 0, label).toBe(Number(raw.cost));
        for (const [q, exact] of [
          ["p50", raw.p50],
          ["p95", raw.p95],
        ] as const) {
          if (exact === null || Number(exact) < 50) continue;
          expect(Math.abs(Number(f?.percentiles[q]) - Number(exact)) / Number(exact), `${q} ${label}`).toBeLessThan(
            0.02,
          );
        }
      }
    },
  );

  it("shares a read in flight with identical calls, and reads afresh once it settled", async () => {
    const { id, calendar } = clients[0];
    const d = decompose(
      new Date(NOW.getTime() - 40 * DAY),
      new Date(NOW.getTime() - 3 * HOUR),
      horizonsAt(NOW),
      calendar,
    );
    const first = readPieces(handle.db, [id], [d]);
    // The same pieces asked in another order and with the client twice: the same read.
    expect(readPieces(handle.db, [id, id], [d, d])).toBe(first);
    const byWorkflow = readPieces(handle.db, [id], [d], "workflow");
    expect(byWorkflow).not.toBe(first);
    await byWorkflow;
    const total = (await first).tally(d, id)?.total ?? 0;
    expect(total).toBeGreaterThan(0);
    const later = readPieces(handle.db, [id], [d]);
    expect(later).not.toBe(first);
    expect((await later).tally(d, id)?.total).toBe(total);
  });
});
