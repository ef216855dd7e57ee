/**
 * The system-metrics API as callers meet it: one point and batches posted and read back,
 * limits and bad input (400 naming the field), who may post and read, the query's
 * filters and window buckets against the same figures computed by plain SQL over the
 * same points, keyset pages that visit every point once, CSV, the hourly source, and
 * the system status.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { queryRows, type DatabaseHandle } from "@/lib/db/database";
import { syncRuns, systemMetricsHourly } from "@/lib/db/schema";
import { createApiToken } from "@/lib/accounts/tokens";
import { insertMetricPoints } from "@/lib/telemetry/store";
import { FLOWSCOPE_METRICS } from "@/lib/telemetry/names";
import type { MetricPoint, SystemMetricView } from "@/lib/telemetry/point";
import type { MetricBucketRow } from "@/lib/telemetry/query";
import * as listRoute from "@/app/api/v1/system-metrics/route";
import * as batchRoute from "@/app/api/v1/system-metrics/batch/route";
import * as pointRoute from "@/app/api/v1/system-metrics/[id]/route";
import * as collectRoute from "@/app/api/v1/system-metrics/collect/route";
import * as statusRoute from "@/app/api/v1/system/status/route";
import { createTestDatabase } from "./helpers/db";
import { callRoute, postJson, qs, useAsAppDatabase } from "./helpers/app-db";
import { signedInUser, type SignedIn } from "./helpers/auth";
import { createClient } from "./helpers/factories";

type RouteFn = Parameters<typeof callRoute>[0];
type Body = Record<string, unknown>;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** The query tests' points lie in two days well in the past, away from what the other tests post now. */
const BASE = new Date(Math.floor(Date.now() / DAY) * DAY - 10 * DAY);
const at = (ms: number) => new Date(BASE.getTime() + ms);
/** Hourly aggregates live further back still, where no raw point is. */
const HOURLY_BASE = new Date(BASE.getTime() - 20 * DAY);

let handle: DatabaseHandle;
let admin: SignedIn;
let operator: SignedIn;
let clientUser: SignedIn;
let globalToken: string;
let clientToken: string;

beforeAll(async () => {
  handle = await createTestDatabase();
  useAsAppDatabase(handle);
  const client = await createClient(handle.db);
  admin = await signedInUser(handle.db, "admin");
  operator = await signedInUser(handle.db, "operator");
  clientUser = await signedInUser(handle.db, "client", client.id);
  globalToken = (await createApiToken(handle.db, { name: "global" }, null)).token;
  clientToken = (await createApiToken(handle.db, { name: "client", clientId: client.id }, null)).token;
  await seedPoints();
});
afterAll(() => handle.close());

/** Credentials: a session (cookie) or a Bearer token. */
type Who = SignedIn | string;
const credentials = (who: Who) =>
  typeof who === "string" ? { token: who } : { token: null, headers: { cookie: who.cookie } };

const post = (fn: RouteFn, url: string, body: unknown, who: Who = globalToken) =>
  postJson(fn, url, body, credentials(who));

const get = (fn: RouteFn, url: string, who: Who = globalToken, params: Record<string, string> = {}) =>
  callRoute(fn, url, params, { ...credentials(who) });

async function read(res: Response): Promise<{ status: number; body: Body }> {
  return { status: res.status, body: (await res.json()) as Body };
}

const point = (extra: Body = {}): Body => ({
  type: "processing_time",
  name: "checkout_latency",
  value: 412.5,
  unit: "ms",
  service: "checkout-api",
  labels: { route: "/orders" },
  timestamp: new Date(Date.now() - MINUTE).toISOString(),
  ...extra,
});

const countPoints = async () =>
  (await queryRows<{ n: number | string }>(handle.db, sql`select count(*) as n from system_metrics`)).map((r) =>
    Number(r.n),
  )[0];

// ---- seed ------------------------------------------------------------------------------

/** A small deterministic generator, so a failure reproduces. */
function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

/**
 * Phase points of runs as lib/telemetry records them (labels function, trigger, status,
 * phase, run, client), success points, resource samples and another service's points,
 * over two days. Values are multiples of 1/4, so sums, and so averages, are exact in
 * any order of addition. Several points share a millisecond; three share one to the
 * microsecond's difference (written by SQL, as no JS Date can).
 */
async function seedPoints() {
  const next = random(42);
  const points: MetricPoint[] = [];
  const phases = ["fetch", "classify", "store", "rollup", "total"];
  for (let run = 1; run <= 70; run++) {
    const fn = run % 3 === 0 ? "rollup" : "sync-client";
    const status = run % 7 === 0 ? "error" : "success";
    const start = Math.floor(next() * 2 * DAY);
    const labels = (phase: string) => ({
      function: fn,
      trigger: run % 2 ? "cron" : "manual",
      status,
      phase,
      run: String(run),
      ...(fn === "sync-client" ? { client: String(1 + (run % 3)) } : {}),
    });
    for (const phase of phases)
      points.push({
        ...FLOWSCOPE_METRICS.phaseDuration,
        value: Math.round(next() * 40_000) / 4,
        labels: labels(phase),
        at: at(start + phases.indexOf(phase)),
      });
    points.push({
      ...FLOWSCOPE_METRICS.runSuccess,
      value: status === "success" ? 1 : 0,
      labels: { function: fn, trigger: run % 2 ? "cron" : "manual" },
      at: at(start),
    });
  }
  for (let i = 0; i < 120; i++) {
    const t = at(Math.floor(next() * 2 * DAY));
    points.push({ ...FLOWSCOPE_METRICS.rss, value: 100_000_000 + Math.round(next() * 4000) * 1024, at: t });
    points.push({
      ...FLOWSCOPE_METRICS.eventLoopLag,
      value: Math.round(next() * 400) / 4,
      labels: { stat: "p99" },
      at: t,
    });
  }
  for (let i = 0; i < 60; i++)
    points.push({
      type: "custom",
      name: "orders_placed",
      value: Math.round(next() * 40),
      unit: null,
      service: "shop",
      labels: { region: i % 2 ? "eu" : "us" },
      at: at(Math.floor(next() * 2 * DAY)),
    });
  // Ten points in one millisecond: only the id tells them apart.
  const same = at(DAY + 123);
  for (let i = 0; i < 10; i++)
    points.push({ type: "custom", name: "tick", value: i, service: "shop", labels: {}, at: same });
  await insertMetricPoints(handle.db, points);
  await handle.db.execute(sql`insert into system_metrics (name, type, value, service, labels, recorded_at) values
    ('tick', 'custom', 100, 'shop', '{}', ${`${same.toISOString().slice(0, 23)}456Z`}::timestamptz),
    ('tick', 'custom', 101, 'shop', '{}', ${`${same.toISOString().slice(0, 23)}457Z`}::timestamptz),
    ('tick', 'custom', 102, 'shop', '{"odd": "cell, with \\"quotes\\""}', ${`${same.toISOString().slice(0, 23)}001Z`}::timestamptz)`);
}

// ---- ingest ----------------------------------------------------------------------------

describe("POST /api/v1/system-metrics", () => {
  it("stores one point and answers it as GET /system-metrics/{id} reads it back", async () => {
    const sent = point({ labels: { route: "/orders", region: "eu-west-1" } });
    const created = await read(await post(listRoute.POST, "/api/v1/system-metrics", sent));
    expect(created.status).toBe(201);
    const data = created.body.data as SystemMetricView;
    expect(data).toMatchObject({
      type: "processing_time",
      name: "checkout_latency",
      value: 412.5,
      unit: "ms",
      service: "checkout-api",
      labels: { route: "/orders", region: "eu-west-1" },
      timestamp: sent.timestamp,
    });
    const again = await read(
      await get(pointRoute.GET, `/api/v1/system-metrics/${data.id}`, operator, { id: String(data.id) }),
    );
    expect(again).toEqual({ status: 200, body: { data } });
  });

  it("defaults the service to external and the time to now", async () => {
    const before = Date.now();
    const { timestamp: _t, service: _s, unit: _u, labels: _l, ...bare } = point();
    const created = await read(await post(listRoute.POST, "/api/v1/system-metrics", bare));
    expect(created.status).toBe(201);
    const data = created.body.data as SystemMetricView;
    expect(data).toMatchObject({ service: "external", unit: null, labels: {} });
    expect(Date.parse(data.timestamp)).toBeGreaterThanOrEqual(before - 1);
  });

  it("refuses bad input with a 400 naming the field, storing nothing", async () => {
    const before = await countPoints();
    const cases: Array<[Body, string]> = [
      [point({ type: "latency" }), "type: "],
      [point({ type: undefined }), "type: "],
      [point({ value: "fast" }), "value: "],
      [point({ name: "9lives" }), "name: "],
      [point({ timestamp: "yesterday" }), "timestamp: "],
      [point({ timestamp: "2026-01-01T10:00:00" }), "timestamp: "],
      // Past the raw retention (30 days): its hour may be aggregated and deleted already.
      [
        point({ timestamp: new Date(Date.now() - 31 * DAY).toISOString() }),
        "timestamp: must be within the last 30 days",
      ],
      [point({ labels: { route: 5 } }), "labels.route: "],
      [point({ labels: { route: "a\u0000b" } }), "labels.route: "],
      [point({ extra: 1 }), "body: "],
    ];
    for (const [body, field] of cases) {
      const res = await read(await post(listRoute.POST, "/api/v1/system-metrics", body));
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(String((res.body.error as Body).message), JSON.stringify(body)).toMatch(new RegExp(`^${field}`));
    }
    expect(await countPoints()).toBe(before);
  });

  it("GET /system-metrics/{id}: 404 for a missing point, 400 for what is not an id", async () => {
    const missing = await read(
      await get(pointRoute.GET, "/api/v1/system-metrics/999999999", operator, { id: "999999999" }),
    );
    expect(missing.status).toBe(404);
    expect((missing.body.error as Body).code).toBe("not_found");
    for (const id of ["abc", "0", "01", "-1", "1.5", "99999999999999999"]) {
      const res = await read(await get(pointRoute.GET, `/api/v1/system-metrics/${id}`, operator, { id }));
      expect(res.status, id).toBe(400);
      expect(String((res.body.error as Body).message)).toMatch(/^id: /);
    }
  });
});

describe("POST /api/v1/system-metrics/batch", () => {
  it("stores the valid items together and reports each invalid one by index with its field", async () => {
    const before = await countPoints();
    const marker = `batch_${Date.now()}`;
    const items = [
      point({ name: marker, value: 1 }),
      point({ name: marker, type: "latency" }),
      point({ name: marker, value: 3 }),
      { ...point({ name: marker }), name: undefined },
      point({ name: marker, labels: { route: "a\u0000b" } }),
      "not a point",
      point({ name: marker, value: 7, timestamp: new Date(Date.now() + 3 * DAY).toISOString() }),
      point({ name: marker, value: 8 }),
    ];
    const res = await read(await post(batchRoute.POST, "/api/v1/system-metrics/batch", { metrics: items }));
    expect(res.status).toBe(200);
    expect(res.body.accepted).toBe(3);
    expect(res.body.rejected).toBe(5);
    const errors = res.body.errors as Array<{ index: number; message: string }>;
    expect(errors.map((e) => e.index)).toEqual([1, 3, 4, 5, 6]);
    expect(errors[0].message).toMatch(/^type: /);
    expect(errors[1].message).toMatch(/^name: /);
    expect(errors[2].message).toMatch(/^labels\.route: /);
    expect(errors[3].message).toMatch(/^metric: /);
    expect(errors[4].message).toMatch(/^timestamp: /);
    // The valid ones, in order, and nothing else.
    const ids = res.body.ids as number[];
    expect(ids).toHaveLength(3);
    const stored = await queryRows<{ id: number | string; value: number }>(
      handle.db,
      sql`select id, value from system_metrics where name = ${marker} order by id`,
    );
    expect(stored.map((r) => [Number(r.id), r.value])).toEqual([
      [ids[0], 1],
      [ids[1], 3],
      [ids[2], 8],
    ]);
    expect(await countPoints()).toBe(before + 3);
  });

  it("takes exactly 1000 points and refuses 1001 with a 400, storing none of them", async () => {
    const marker = `limit_${Date.now()}`;
    const many = (n: number) => Array.from({ length: n }, (_, i) => point({ name: marker, value: i }));
    const before = await countPoints();
    const over = await read(await post(batchRoute.POST, "/api/v1/system-metrics/batch", { metrics: many(1001) }));
    expect(over.status).toBe(400);
    expect(String((over.body.error as Body).message)).toMatch(/^metrics: /);
    expect(await countPoints()).toBe(before);

    const full = await read(await post(batchRoute.POST, "/api/v1/system-metrics/batch", { metrics: many(1000) }));
    expect(full.status).toBe(200);
    expect(full.body).toMatchObject({ accepted: 1000, rejected: 0, errors: [] });
    expect(new Set(full.body.ids as number[]).size).toBe(1000);
    expect(await countPoints()).toBe(before + 1000);

    for (const body of [{ metrics: [] }, { metrics: "x" }, {}]) {
      const res = await read(await post(batchRoute.POST, "/api/v1/system-metrics/batch", body));
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(String((res.body.error as Body).message)).toMatch(/^metrics: /);
    }
  });
});

describe("access", () => {
  it("posting takes an admin session or a global token; client tokens and operators are refused", async () => {
    const cases: Array<[Who, number]> = [
      [globalToken, 201],
      [admin, 201],
      [clientToken, 403],
      [operator, 403],
      [clientUser, 403],
    ];
    for (const [who, status] of cases) {
      expect((await post(listRoute.POST, "/api/v1/system-metrics", point(), who)).status).toBe(status);
      const batch = await post(batchRoute.POST, "/api/v1/system-metrics/batch", { metrics: [point()] }, who);
      expect(batch.status).toBe(status === 201 ? 200 : status);
    }
    expect((await postJson(listRoute.POST, "/api/v1/system-metrics", point(), { token: null })).status).toBe(401);
  });

  it("collect: a global token or an admin stores a resource sample now; others are refused", async () => {
    const collected = await read(await post(collectRoute.POST, "/api/v1/system-metrics/collect", undefined));
    expect(collected.status).toBe(201);
    const data = collected.body.data as SystemMetricView[];
    const rss = data.find((p) => p.name === FLOWSCOPE_METRICS.rss.name);
    expect(rss?.value).toBeGreaterThan(0);
    const stored = await read(
      await get(pointRoute.GET, `/api/v1/system-metrics/${rss!.id}`, operator, { id: String(rss!.id) }),
    );
    expect(stored.body.data).toEqual(rss);
    expect((await post(collectRoute.POST, "/api/v1/system-metrics/collect", undefined, admin)).status).toBe(201);
    for (const who of [clientToken, operator, clientUser])
      expect((await post(collectRoute.POST, "/api/v1/system-metrics/collect", undefined, who)).status).toBe(403);
  });

  it("reading is for operators, admins and global tokens; client users and client tokens are refused", async () => {
    for (const who of [operator, admin, globalToken]) {
      expect((await get(listRoute.GET, "/api/v1/system-metrics", who)).status).toBe(200);
      expect((await get(statusRoute.GET, "/api/v1/system/status", who)).status).toBe(200);
    }
    for (const who of [clientUser, clientToken]) {
      expect((await get(listRoute.GET, "/api/v1/system-metrics", who)).status).toBe(403);
      expect((await get(statusRoute.GET, "/api/v1/system/status", who)).status).toBe(403);
      expect((await get(pointRoute.GET, "/api/v1/system-metrics/1", who, { id: "1" })).status).toBe(403);
    }
  });
});

// ---- query -----------------------------------------------------------------------------

type Query = Record<string, string | number | undefined>;

async function list(query: Query, who: Who = operator): Promise<{ status: number; body: Body }> {
  return read(await get(listRoute.GET, `/api/v1/system-metrics?${qs(query)}`, who));
}

/** Every page of a query, following nextCursor; the number of pages too. */
async function allPages<T>(query: Query): Promise<{ rows: T[]; pages: number }> {
  const rows: T[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const res = await list({ ...query, cursor });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    rows.push(...(res.body.data as T[]));
    cursor = (res.body.nextCursor as string | null) ?? undefined;
    pages++;
    expect(pages).toBeLessThan(500);
  } while (cursor);
  return { rows, pages };
}

const SEEDED = { start: BASE.toISOString(), end: at(2 * DAY).toISOString() };

/** Ids of the seeded points that SQL selects with `where`, newest first. */
async function idsWhere(where: ReturnType<typeof sql>): Promise<number[]> {
  const rows = await queryRows<{ id: number | string }>(
    handle.db,
    sql`select id from system_metrics
      where recorded_at >= ${SEEDED.start}::timestamptz and recorded_at < ${SEEDED.end}::timestamptz and ${where}
      order by recorded_at desc, id desc`,
  );
  return rows.map((r) => Number(r.id));
}

describe("GET /api/v1/system-metrics: points", () => {
  it("keyset pages visit every point once, newest first, ties in one millisecond and microsecond included", async () => {
    const expected = await idsWhere(sql`true`);
    expect(expected.length).toBe(733);
    const { rows, pages } = await allPages<SystemMetricView>({ ...SEEDED, limit: 37 });
    expect(pages).toBe(Math.ceil(expected.length / 37));
    expect(rows.map((r) => r.id)).toEqual(expected);
  });

  it("filters by type, name, service, labels, start and end as SQL does", async () => {
    const cases: Array<[Query, ReturnType<typeof sql>]> = [
      [{ type: "resource_usage" }, sql`type = 'resource_usage'`],
      [{ name: "run_phase_duration" }, sql`name = 'run_phase_duration'`],
      [{ service: "shop" }, sql`service = 'shop'`],
      [{ labels: "phase:fetch" }, sql`labels ->> 'phase' = 'fetch'`],
      [
        { labels: "function:sync-client,phase:total,status:error" },
        sql`labels ->> 'function' = 'sync-client' and labels ->> 'phase' = 'total' and labels ->> 'status' = 'error'`,
      ],
      [
        { type: "success_rate", name: "run_success", labels: "trigger:manual" },
        sql`type = 'success_rate' and name = 'run_success' and labels ->> 'trigger' = 'manual'`,
      ],
      [{ labels: "phase:nothing" }, sql`false`],
      [
        { start: at(6 * HOUR).toISOString(), end: at(30 * HOUR + 30 * MINUTE).toISOString() },
        sql`recorded_at >= ${at(6 * HOUR).toISOString()}::timestamptz and recorded_at < ${at(30 * HOUR + 30 * MINUTE).toISOString()}::timestamptz`,
      ],
      [
        // An offset other than Z means the same instant.
        { start: "PLACEHOLDER", service: "flowscope", name: "process_rss" },
        sql`service = 'flowscope' and name = 'process_rss' and recorded_at >= ${at(DAY).toISOString()}::timestamptz`,
      ],
    ];
    const plus2 = new Date(at(DAY).getTime() + 2 * HOUR).toISOString().replace("Z", "+02:00").replace(".000", "");
    for (const [query, where] of cases) {
      const q = { ...SEEDED, ...query, ...(query.start === "PLACEHOLDER" ? { start: plus2 } : {}) };
      const { rows } = await allPages<SystemMetricView>({ ...q, limit: 1000 });
      expect(
        rows.map((r) => r.id),
        JSON.stringify(query),
      ).toEqual(await idsWhere(where));
    }
  });

  it("answers CSV with a header and quoted cells", async () => {
    const res = await get(
      listRoute.GET,
      `/api/v1/system-metrics?${qs({ ...SEEDED, name: "tick", format: "csv", limit: 1000 })}`,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    const lines = (await res.text()).trimEnd().split("\r\n");
    expect(lines[0]).toBe("id,type,name,value,unit,service,labels,timestamp");
    expect(lines).toHaveLength(1 + 13);
    expect(lines.some((l) => l.includes(`"{""odd"":""cell, with \\""quotes\\""""}"`))).toBe(true);

    const buckets = await get(
      listRoute.GET,
      `/api/v1/system-metrics?${qs({ ...SEEDED, name: "orders_placed", window: "1d", groupBy: "region", format: "csv" })}`,
    );
    const bucketLines = (await buckets.text()).trimEnd().split("\r\n");
    expect(bucketLines[0]).toBe("bucket,type,name,service,unit,group,count,avg,min,max,p50,p95");
    expect(bucketLines).toHaveLength(1 + 4);
  });
});

/** The window's buckets, computed by plain SQL over the same points: flooring epoch seconds. */
async function bucketsBySql(opts: {
  seconds: number;
  start: string;
  end: string;
  groupBy?: string;
  where?: ReturnType<typeof sql>;
}): Promise<MetricBucketRow[]> {
  const group = opts.groupBy ? sql`labels ->> ${opts.groupBy}` : sql`null::text`;
  const rows = await queryRows<Record<string, unknown>>(
    handle.db,
    sql`select to_timestamp(floor(extract(epoch from recorded_at) / ${opts.seconds}) * ${opts.seconds}) as bucket,
        type, name, service, unit, ${group} as grp, count(*) as count, avg(value) as avg, min(value) as min,
        max(value) as max, percentile_cont(0.5) within group (order by value) as p50,
        percentile_cont(0.95) within group (order by value) as p95
      from system_metrics
      where recorded_at >= ${opts.start}::timestamptz and recorded_at < ${opts.end}::timestamptz and ${opts.where ?? sql`true`}
      group by 1, 2, 3, 4, 5, 6`,
  );
  return rows.map((r) => ({
    bucket: new Date(r.bucket as string | Date).toISOString(),
    type: r.type as MetricBucketRow["type"],
    name: String(r.name),
    service: String(r.service),
    unit: (r.unit as string | null) ?? null,
    group: (r.grp as string | null) ?? null,
    count: Number(r.count),
    avg: Number(r.avg),
    min: Number(r.min),
    max: Number(r.max),
    p50: Number(r.p50),
    p95: Number(r.p95),
  }));
}

const rowKey = (r: MetricBucketRow) => JSON.stringify([r.bucket, r.name, r.service, r.group, r.type, r.unit]);
const byKey = (rows: MetricBucketRow[]) => [...rows].sort((a, b) => (rowKey(a) < rowKey(b) ? -1 : 1));

describe("GET /api/v1/system-metrics: windows", () => {
  const WINDOWS: Array<[string, number]> = [
    ["1m", 60],
    ["5m", 300],
    ["1h", 3600],
    ["1d", 86400],
  ];

  for (const [window, seconds] of WINDOWS) {
    it(`${window} buckets (grouped and not, filtered) equal SQL over the same points, page after page`, async () => {
      // Ranges that do not start on a bucket's edge: the first bucket holds only the points inside.
      const start = at(3 * HOUR + 7 * MINUTE + 13_000).toISOString();
      const end = at(window === "1d" ? 2 * DAY : window === "1h" ? 30 * HOUR : 9 * HOUR).toISOString();
      const cases: Array<{ query: Query; where?: ReturnType<typeof sql>; groupBy?: string }> = [
        { query: {} },
        {
          query: { groupBy: "phase", name: "run_phase_duration" },
          groupBy: "phase",
          where: sql`name = 'run_phase_duration'`,
        },
        {
          query: { groupBy: "client", labels: "function:sync-client" },
          groupBy: "client",
          where: sql`labels @> '{"function": "sync-client"}'::jsonb`,
        },
        { query: { type: "resource_usage", groupBy: "stat" }, groupBy: "stat", where: sql`type = 'resource_usage'` },
      ];
      for (const c of cases) {
        const { rows, pages } = await allPages<MetricBucketRow>({ start, end, window, limit: 23, ...c.query });
        const expected = await bucketsBySql({ seconds, start, end, groupBy: c.groupBy, where: c.where });
        expect(expected.length, JSON.stringify(c.query)).toBeGreaterThan(0);
        expect(pages).toBe(Math.max(1, Math.ceil(expected.length / 23)));
        // The answer's own order starts with the bucket (names follow the database's collation).
        const buckets = rows.map((r) => r.bucket);
        expect(buckets, JSON.stringify(c.query)).toEqual([...buckets].sort());
        expect(new Set(rows.map(rowKey)).size).toBe(rows.length);
        expect(byKey(rows), JSON.stringify(c.query)).toEqual(byKey(expected));
      }
    });
  }

  it("defaults to the last 24 hours before end, and buckets align to the epoch in UTC", async () => {
    const end = at(2 * DAY).toISOString();
    const res = await list({ window: "1h", end, name: "process_rss", limit: 1000 });
    expect(res.status).toBe(200);
    const rows = res.body.data as MetricBucketRow[];
    expect(rows.length).toBeGreaterThan(10);
    expect(byKey(rows)).toEqual(
      byKey(await bucketsBySql({ seconds: 3600, start: at(DAY).toISOString(), end, where: sql`name = 'process_rss'` })),
    );
    for (const r of rows) expect(Date.parse(r.bucket) % HOUR).toBe(0);
  });

  it("a cursor from one kind of answer is refused by the other", async () => {
    const points = await list({ ...SEEDED, limit: 2 });
    const buckets = await list({ ...SEEDED, window: "1h", limit: 2 });
    const a = await list({ ...SEEDED, window: "1h", cursor: points.body.nextCursor as string });
    const b = await list({ ...SEEDED, cursor: buckets.body.nextCursor as string });
    for (const res of [a, b]) {
      expect(res.status).toBe(400);
      expect(String((res.body.error as Body).message)).toMatch(/^cursor: /);
    }
  });
});

describe("GET /api/v1/system-metrics: bad input", () => {
  it("answers 400 naming the parameter, never 500", async () => {
    const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const cases: Array<[Query, string]> = [
      [{ start: "2026-02-02T00:00:00Z", end: "2026-02-01T00:00:00Z" }, "start"],
      [{ start: "2026-02-01" }, "start"],
      [{ end: "2026-02-30T00:00:00Z" }, "end"],
      [{ end: "2026-02-01T00:00:00" }, "end"],
      [{ groupBy: "phase" }, "groupBy"],
      [{ window: "1h", groupBy: "bad label" }, "groupBy"],
      [{ window: "2m" }, "window"],
      [{ window: "1m", source: "hourly" }, "source"],
      [{ source: "hourly" }, "source"],
      [{ source: "rollups" }, "source"],
      [{ limit: 0 }, "limit"],
      [{ limit: 1001 }, "limit"],
      [{ limit: "ten" }, "limit"],
      [{ type: "latency" }, "type"],
      [{ name: "" }, "name"],
      [{ labels: "phase" }, "labels"],
      [{ labels: "phase:fetch,,status:ok" }, "labels"],
      [{ labels: ":fetch" }, "labels"],
      [{ labels: "a:1,a:2" }, "labels"],
      [{ cursor: "abc" }, "cursor"],
      [{ cursor: forged(["p", "2026-01-01T00:00:00.000000Z", 0]) }, "cursor"],
      [{ cursor: forged(["p", "2026-02-30T00:00:00.000000Z", 5]) }, "cursor"],
      [{ cursor: forged(["p", "2026-01-01 00:00", 5]) }, "cursor"],
      [
        {
          window: "5m",
          cursor: forged(["b", "2026-01-01T00:00:00.000000Z", "a\u0000", "s", true, "", "custom", false, ""]),
        },
        "cursor",
      ],
      [
        { window: "5m", cursor: forged(["b", "2026-01-01T00:00:00.000000Z", "a", "s", true, "", "other", false, ""]) },
        "cursor",
      ],
    ];
    for (const [query, field] of cases) {
      const res = await list(query);
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(String((res.body.error as Body).message), JSON.stringify(query)).toMatch(new RegExp(`^${field}: `));
    }
    // A forged cursor that is well-formed is just a place in the order.
    const valid = await list({ cursor: forged(["p", "2026-01-01T00:00:00.000000Z", 5]) });
    expect(valid.status).toBe(200);
  });
});

// ---- hourly ------------------------------------------------------------------------------

describe("GET /api/v1/system-metrics?source=hourly", () => {
  const hour = (h: number) => new Date(HOURLY_BASE.getTime() + h * HOUR);
  const base = { name: "run_phase_duration", type: "processing_time" as const, service: "flowscope", unit: "ms" };

  beforeAll(async () => {
    await handle.db.insert(systemMetricsHourly).values([
      { ...base, hour: hour(0), labels: { phase: "fetch" }, count: 4, sum: 40, min: 2, max: 20, p50: 9, p95: 19 },
      { ...base, hour: hour(0), labels: { phase: "store" }, count: 2, sum: 10, min: 4, max: 6, p50: 5, p95: 6 },
      { ...base, hour: hour(1), labels: { phase: "fetch" }, count: 6, sum: 90, min: 1, max: 40, p50: 12, p95: 38 },
      { ...base, hour: hour(25), labels: { phase: "fetch" }, count: 1, sum: 7, min: 7, max: 7, p50: 7, p95: 7 },
    ]);
  });

  const range = () => ({
    start: HOURLY_BASE.toISOString(),
    end: new Date(HOURLY_BASE.getTime() + 2 * DAY).toISOString(),
  });

  it("1h: each hour's row; p50/p95 the stored ones where a row is one series, null where it merges several", async () => {
    const grouped = await list({ ...range(), window: "1h", source: "hourly", groupBy: "phase" });
    expect(grouped.status).toBe(200);
    const row = (h: number, group: string | null, f: Partial<MetricBucketRow>) => ({
      bucket: hour(h).toISOString(),
      ...base,
      group,
      ...f,
    });
    expect(grouped.body).toEqual({
      data: [
        row(0, "fetch", { count: 4, avg: 10, min: 2, max: 20, p50: 9, p95: 19 }),
        row(0, "store", { count: 2, avg: 5, min: 4, max: 6, p50: 5, p95: 6 }),
        row(1, "fetch", { count: 6, avg: 15, min: 1, max: 40, p50: 12, p95: 38 }),
        row(25, "fetch", { count: 1, avg: 7, min: 7, max: 7, p50: 7, p95: 7 }),
      ],
      nextCursor: null,
    });
    const merged = await list({ ...range(), window: "1h", source: "hourly", limit: 1 });
    expect(merged.body.data).toEqual([row(0, null, { count: 6, avg: 50 / 6, min: 2, max: 20, p50: null, p95: null })]);
    expect(merged.body.nextCursor).not.toBeNull();
  });

  it("1d: sums of the day's hours, avg = sum / count, no percentiles; equal to SQL over the hourly rows", async () => {
    const res = await list({ ...range(), window: "1d", source: "hourly", labels: "phase:fetch" });
    expect(res.status).toBe(200);
    const bySql = await queryRows<Record<string, unknown>>(
      handle.db,
      sql`select to_timestamp(floor(extract(epoch from hour) / 86400) * 86400) as bucket, sum(count) as count,
          sum(sum) / sum(count) as avg, min(min) as min, max(max) as max
        from system_metrics_hourly where labels @> '{"phase": "fetch"}'::jsonb
          and hour >= ${range().start}::timestamptz and hour < ${range().end}::timestamptz
        group by 1 order by 1`,
    );
    expect(res.body.data).toEqual(
      bySql.map((r) => ({
        bucket: new Date(r.bucket as string).toISOString(),
        ...base,
        group: null,
        count: Number(r.count),
        avg: Number(r.avg),
        min: Number(r.min),
        max: Number(r.max),
        p50: null,
        p95: null,
      })),
    );
    expect((res.body.data as MetricBucketRow[]).map((r) => r.count)).toEqual([10, 1]);
  });
});

// ---- status ------------------------------------------------------------------------------

describe("GET /api/v1/system/status", () => {
  it("answers the process, the queue of runs queued and running, the last and the slowest runs", async () => {
    const now = Date.now();
    const ago = (ms: number) => new Date(now - ms);
    await handle.db.insert(syncRuns).values([
      { function: "rollup", trigger: "event", status: "queued", startedAt: ago(5 * MINUTE) },
      { function: "rollup", trigger: "event", status: "queued", startedAt: ago(2 * MINUTE) },
      { function: "retention", trigger: "cron", status: "running", startedAt: ago(MINUTE), heartbeatAt: ago(1000) },
      { function: "backfill", trigger: "manual", status: "success", startedAt: ago(3 * HOUR), finishedAt: ago(HOUR) },
      {
        function: "backfill",
        trigger: "manual",
        status: "error",
        startedAt: ago(50 * MINUTE),
        finishedAt: ago(45 * MINUTE),
        error: "n8n refused",
      },
      {
        function: "reclassify",
        trigger: "manual",
        status: "success",
        startedAt: ago(30 * HOUR),
        finishedAt: ago(26 * HOUR),
      },
      {
        function: "reclassify",
        trigger: "manual",
        status: "success",
        startedAt: ago(20 * MINUTE),
        finishedAt: ago(19 * MINUTE),
      },
    ]);
    const res = await read(await get(statusRoute.GET, "/api/v1/system/status", operator));
    expect(res.status).toBe(200);
    const body = res.body as {
      at: string;
      process: { rssBytes: number };
      database: { driver: string };
      queue: { queued: number; running: number; oldestQueuedAt: string; byFunction: Array<Body> };
      scheduler: { mode: string };
      recorder: { recorded: number };
      lastRuns: Array<Body>;
      slowestRuns: Array<Body>;
    };
    expect(body.process.rssBytes).toBeGreaterThan(0);
    expect(["pglite", "postgres"]).toContain(body.database.driver);
    expect(body.queue).toMatchObject({ queued: 2, running: 1, oldestQueuedAt: ago(5 * MINUTE).toISOString() });
    expect(body.queue.byFunction.find((f) => f.function === "rollup")).toMatchObject({ queued: 2, running: 0 });
    expect(body.queue.byFunction.find((f) => f.function === "retention")).toMatchObject({ queued: 0, running: 1 });
    expect(typeof body.scheduler.mode).toBe("string");
    expect(typeof body.recorder.recorded).toBe("number");

    const last = Object.fromEntries(body.lastRuns.map((r) => [r.function, r]));
    expect(last.rollup).toMatchObject({ status: "queued", durationMs: null, startedAt: ago(2 * MINUTE).toISOString() });
    expect(last.backfill).toMatchObject({ status: "error", error: "n8n refused", durationMs: 5 * MINUTE });
    expect(last.reclassify).toMatchObject({ durationMs: MINUTE, finishedAt: ago(19 * MINUTE).toISOString() });
    expect(last.reclassify.href).toBe(`/admin/tasks/${last.reclassify.id}`);

    // Finished in the last 24 hours only, longest first: the 4-hour reclassify finished 26 hours ago.
    expect(body.slowestRuns.map((r) => [r.function, r.durationMs])).toEqual([
      ["backfill", 2 * HOUR],
      ["backfill", 5 * MINUTE],
      ["reclassify", MINUTE],
    ]);
    for (const r of body.slowestRuns) expect(r.href).toBe(`/admin/tasks/${r.id}`);
  });
});
