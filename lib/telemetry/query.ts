/**
 * GET /api/v1/system-metrics: stored points newest first, or aggregated into buckets of a
 * window (from the raw points, or from system_metrics_hourly for 1h and 1d), a page at a
 * time with an opaque keyset cursor. Every message reads as a sentence after "<param>: ".
 */
import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { numOrNull, num, queryRows, ts, type Db } from "@/lib/db/database";
import { systemMetrics } from "@/lib/db/schema";
import { findUnstorableText } from "@/lib/core/validation";
import {
  SYSTEM_METRIC_TYPES,
  SYSTEM_METRIC_WINDOWS,
  type SystemMetricType,
  type SystemMetricWindow,
} from "@/lib/core/vocabulary";
import { toMetricView } from "./store";
import { IDENTIFIER, IDENTIFIER_MESSAGE, type SystemMetricView } from "./point";

export const METRIC_QUERY_MAX_LIMIT = 1000;
const DEFAULT_LIMIT = 100;
/** A window query without `start` reads this far back from `end`. */
const DEFAULT_WINDOW_SPAN_MS = 24 * 3600_000;

const WINDOW_SQL: Record<SystemMetricWindow, string> = {
  "1m": "1 minute",
  "5m": "5 minutes",
  "1h": "1 hour",
  "1d": "1 day",
};

export const METRIC_SOURCES = ["raw", "hourly"] as const;
export type MetricSource = (typeof METRIC_SOURCES)[number];

// ---- parameters ------------------------------------------------------------------------

const identifierParam = (max: number, description: string) =>
  z
    .string()
    .trim()
    .min(1, { message: "must not be empty" })
    .max(max, { message: `must be at most ${max} characters` })
    .regex(IDENTIFIER, { message: IDENTIFIER_MESSAGE })
    .meta({ description });

const IsoDateTime = z
  .string()
  .pipe(z.iso.datetime({ offset: true, error: "must be an ISO 8601 date-time with a zone, e.g. 2026-11-01T10:00:00Z" }))
  .transform((s) => new Date(s));

const LABELS_MESSAGE = "must be key:value pairs separated by commas, e.g. function:sync-client,status:success";

/** "key:value,key:value" → {key: value}; the first ":" of each pair separates key from value. */
function parseLabels(text: string): Record<string, string> | null {
  const out: Record<string, string> = {};
  for (const part of text.split(",")) {
    const at = part.indexOf(":");
    if (at <= 0) return null;
    const key = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (!IDENTIFIER.test(key) || key.length > 100 || value.length > 200 || key in out) return null;
    out[key] = value;
  }
  return out;
}

const LabelsParam = z
  .string()
  .transform((text, ctx) => {
    const labels = parseLabels(text);
    if (!labels) {
      ctx.addIssue({ code: "custom", message: LABELS_MESSAGE });
      return z.NEVER;
    }
    return labels;
  })
  .meta({
    description:
      "Only points carrying all these labels: `key:value` pairs separated by commas (a value may hold `:`, not `,`).",
  });

const LimitParam = z
  .preprocess(
    (v) => (typeof v === "string" && /^-?\d{1,10}$/.test(v) ? Number(v) : v),
    z
      .number({ error: `must be an integer from 1 to ${METRIC_QUERY_MAX_LIMIT}` })
      .int({ error: `must be an integer from 1 to ${METRIC_QUERY_MAX_LIMIT}` })
      .min(1, { error: `must be an integer from 1 to ${METRIC_QUERY_MAX_LIMIT}` })
      .max(METRIC_QUERY_MAX_LIMIT, { error: `must be an integer from 1 to ${METRIC_QUERY_MAX_LIMIT}` })
      .default(DEFAULT_LIMIT),
  )
  .meta({ description: `Points (or bucket rows) per page, 1 to ${METRIC_QUERY_MAX_LIMIT}; default ${DEFAULT_LIMIT}.` });

// The cursor: base64url JSON, a point's exact time and id, or a bucket row's sort key.
const MICROS_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const ExactTime = z.string().refine((s) => {
  if (!MICROS_ISO.test(s)) return false;
  const ms = new Date(s.slice(0, 23) + "Z");
  return !Number.isNaN(ms.getTime()) && ms.toISOString().slice(0, 23) === s.slice(0, 23);
});
const CursorText = z.string().max(1000);
const PointCursor = z.tuple([z.literal("p"), ExactTime, z.number().int().positive().max(Number.MAX_SAFE_INTEGER)]);
const BucketCursor = z.tuple([
  z.literal("b"),
  ExactTime,
  CursorText, // name
  CursorText, // service
  z.boolean(), // group is not null
  CursorText, // group, "" when null
  z.enum(SYSTEM_METRIC_TYPES),
  z.boolean(), // unit is not null
  CursorText, // unit, "" when null
]);
type PointCursor = z.infer<typeof PointCursor>;
type BucketCursor = z.infer<typeof BucketCursor>;

const CURSOR_MESSAGE = "must be the nextCursor of a previous answer to the same query";

function encodeCursor(value: PointCursor | BucketCursor): string {
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
}

function decodeCursor<S extends z.ZodType>(schema: S, text: string): z.infer<S> | null {
  try {
    const raw: unknown = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
    // Decoded text reaches SQL: the same refusal of NUL and lone surrogates as any input.
    if (findUnstorableText(raw) !== null) return null;
    const parsed = schema.safeParse(raw);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const QueryObject = z.object({
  type: z
    .enum(SYSTEM_METRIC_TYPES, { message: `must be one of ${SYSTEM_METRIC_TYPES.join(", ")}` })
    .optional()
    .meta({ description: "Only points of this type." }),
  name: identifierParam(200, "Only this series name (e.g. run_phase_duration).").optional(),
  service: identifierParam(100, "Only points of this service (Flowscope's own: flowscope).").optional(),
  labels: LabelsParam.optional(),
  start: IsoDateTime.optional().meta({
    description: "Points at or after (ISO 8601 with a zone). With `window`: default `end` − 24 h.",
  }),
  end: IsoDateTime.optional().meta({
    description: "Points before (ISO 8601 with a zone). With `window`: default now.",
  }),
  window: z
    .enum(SYSTEM_METRIC_WINDOWS, { message: `must be one of ${SYSTEM_METRIC_WINDOWS.join(", ")}` })
    .optional()
    .meta({
      description:
        "Aggregate into buckets of this size, aligned to multiples of it since the Unix epoch (UTC): count, avg, min, max, p50, p95 per bucket and series.",
    }),
  groupBy: identifierParam(
    100,
    "With `window`: one row per value of this label (null for points without it).",
  ).optional(),
  source: z
    .enum(METRIC_SOURCES, { message: `must be one of ${METRIC_SOURCES.join(", ")}` })
    .default("raw")
    .meta({
      description:
        "`raw` (default) aggregates the stored points; `hourly` (window 1h or 1d only) reads the hourly aggregates, kept longer than raw points: count, min, max and avg exact; p50/p95 the stored hour's for 1h (null where a row merges several series or hours).",
    }),
  limit: LimitParam,
  cursor: z
    .string()
    .max(4000, { message: CURSOR_MESSAGE })
    .optional()
    .meta({ description: "nextCursor of the previous answer: the next page." }),
});

export const SystemMetricsQuery = QueryObject.superRefine((q, ctx) => {
  if (q.start && q.end && q.start.getTime() > q.end.getTime())
    ctx.addIssue({ code: "custom", path: ["start"], message: "must not be after end" });
  if (q.groupBy !== undefined && !q.window)
    ctx.addIssue({ code: "custom", path: ["groupBy"], message: "needs window (1m, 5m, 1h or 1d)" });
  if (q.source === "hourly" && q.window !== "1h" && q.window !== "1d")
    ctx.addIssue({ code: "custom", path: ["source"], message: "hourly needs window 1h or 1d" });
  if (q.cursor !== undefined && decodeCursor(q.window ? BucketCursor : PointCursor, q.cursor) === null)
    ctx.addIssue({ code: "custom", path: ["cursor"], message: CURSOR_MESSAGE });
});
export type SystemMetricsQuery = z.output<typeof SystemMetricsQuery>;

// ---- answers ---------------------------------------------------------------------------

export const SystemMetricViewSchema = z.object({
  id: z.number().int(),
  type: z.enum(SYSTEM_METRIC_TYPES),
  name: z.string(),
  value: z.number(),
  unit: z.string().nullable(),
  service: z.string(),
  labels: z.record(z.string(), z.string()),
  timestamp: z.string(),
});

export const MetricBucketRowSchema = z.object({
  bucket: z.string(),
  type: z.enum(SYSTEM_METRIC_TYPES),
  name: z.string(),
  service: z.string(),
  unit: z.string().nullable(),
  group: z.string().nullable(),
  count: z.number().int(),
  avg: z.number(),
  min: z.number(),
  max: z.number(),
  p50: z.number().nullable(),
  p95: z.number().nullable(),
});
export type MetricBucketRow = z.infer<typeof MetricBucketRowSchema>;

export const SystemMetricsResponse = z.object({
  data: z.array(z.union([SystemMetricViewSchema, MetricBucketRowSchema])),
  nextCursor: z.string().nullable(),
});
export type SystemMetricsResponse =
  { data: SystemMetricView[]; nextCursor: string | null } | { data: MetricBucketRow[]; nextCursor: string | null };

// ---- the query -------------------------------------------------------------------------

/** A point's time as text to the microsecond, for a cursor that never skips a point stored within the same millisecond. */
const EXACT_TIME = (column: SQL) => sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export async function queryMetricPoints(
  db: Db,
  q: SystemMetricsQuery,
  now: Date = new Date(),
): Promise<SystemMetricsResponse> {
  if (!q.window) return listPoints(db, q);
  const end = q.end ?? now;
  const start = q.start ?? new Date(end.getTime() - DEFAULT_WINDOW_SPAN_MS);
  if (start.getTime() > end.getTime()) return { data: [], nextCursor: null };
  return q.source === "hourly" ? hourlyBuckets(db, q, q.window, start, end) : rawBuckets(db, q, q.window, start, end);
}

async function listPoints(db: Db, q: SystemMetricsQuery): Promise<SystemMetricsResponse> {
  const t = systemMetrics;
  const where: SQL[] = [];
  if (q.type) where.push(eq(t.type, q.type));
  if (q.name) where.push(eq(t.name, q.name));
  if (q.service) where.push(eq(t.service, q.service));
  if (q.labels) where.push(sql`${t.labels} @> ${JSON.stringify(q.labels)}::jsonb`);
  if (q.start) where.push(sql`${t.recordedAt} >= ${ts(q.start)}`);
  if (q.end) where.push(sql`${t.recordedAt} < ${ts(q.end)}`);
  const cursor = q.cursor === undefined ? null : decodeCursor(PointCursor, q.cursor);
  if (cursor) where.push(sql`(${t.recordedAt}, ${t.id}) < (${cursor[1]}::timestamptz, ${cursor[2]})`);
  const rows = await db
    .select({ row: t, exactAt: EXACT_TIME(sql`${t.recordedAt}`) })
    .from(t)
    .where(and(...where))
    .orderBy(desc(t.recordedAt), desc(t.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    data: page.map((r) => toMetricView(r.row)),
    nextCursor: rows.length > q.limit && last ? encodeCursor(["p", last.exactAt, last.row.id]) : null,
  };
}

/** The filters both bucket sources share, on a table aliased `m`. */
function seriesFilters(q: SystemMetricsQuery): SQL[] {
  const where: SQL[] = [];
  if (q.type) where.push(sql`m.type = ${q.type}`);
  if (q.name) where.push(sql`m.name = ${q.name}`);
  if (q.service) where.push(sql`m.service = ${q.service}`);
  if (q.labels) where.push(sql`m.labels @> ${JSON.stringify(q.labels)}::jsonb`);
  return where;
}

const groupExpr = (q: SystemMetricsQuery): SQL =>
  q.groupBy === undefined ? sql`null::text` : sql`(m.labels ->> ${q.groupBy})`;

/**
 * Bucket rows are sorted by bucket, name, service, group (null first), then type and unit
 * (null first), and paged on that whole key: `a` is the aggregate, with its key columns.
 */
async function pageBuckets(db: Db, q: SystemMetricsQuery, aggregate: SQL): Promise<SystemMetricsResponse> {
  const cursor = q.cursor === undefined ? null : decodeCursor(BucketCursor, q.cursor);
  const after = cursor
    ? sql`where (a.bucket, a.name, a.service, a.group_set, a.group_key, a.type, a.unit_set, a.unit_key) >
        (${cursor[1]}::timestamptz, ${cursor[2]}::text, ${cursor[3]}::text, ${cursor[4]}::boolean, ${cursor[5]}::text,
          ${cursor[6]}::text, ${cursor[7]}::boolean, ${cursor[8]}::text)`
    : sql``;
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`select a.*, ${EXACT_TIME(sql`a.bucket`)} as exact_bucket from (
        select *, grp is not null as group_set, coalesce(grp, '') as group_key,
          unit is not null as unit_set, coalesce(unit, '') as unit_key
        from (${aggregate}) s
      ) a
      ${after}
      order by a.bucket, a.name, a.service, a.group_set, a.group_key, a.type, a.unit_set, a.unit_key
      limit ${q.limit + 1}`,
  );
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    data: page.map((r): MetricBucketRow => ({
      bucket: exactToIso(String(r.exact_bucket)),
      type: r.type as SystemMetricType,
      name: String(r.name),
      service: String(r.service),
      unit: r.unit === null ? null : String(r.unit),
      group: r.grp === null ? null : String(r.grp),
      count: num(r.count),
      avg: num(r.avg),
      min: num(r.min),
      max: num(r.max),
      p50: numOrNull(r.p50),
      p95: numOrNull(r.p95),
    })),
    nextCursor:
      rows.length > q.limit && last
        ? encodeCursor([
            "b",
            String(last.exact_bucket),
            String(last.name),
            String(last.service),
            Boolean(last.group_set),
            String(last.group_key),
            last.type as SystemMetricType,
            Boolean(last.unit_set),
            String(last.unit_key),
          ])
        : null,
  };
}

/** Microsecond text as ISO (buckets are whole minutes: nothing is lost). */
const exactToIso = (text: string) => new Date(text.slice(0, 23) + "Z").toISOString();

const EPOCH = sql`'1970-01-01T00:00:00Z'::timestamptz`;
const bin = (window: SystemMetricWindow, column: SQL) =>
  sql`date_bin(${WINDOW_SQL[window]}::interval, ${column}, ${EPOCH})`;

/** From the cursor's bucket on: rows of earlier buckets need not be aggregated again. */
function cursorFloor(q: SystemMetricsQuery, window: SystemMetricWindow, column: SQL): SQL | null {
  const cursor = q.cursor === undefined ? null : decodeCursor(BucketCursor, q.cursor);
  return cursor ? sql`${bin(window, column)} >= ${cursor[1]}::timestamptz` : null;
}

/** The series' filters, start..end on `column`, and the cursor's floor. */
function bucketFilters(q: SystemMetricsQuery, window: SystemMetricWindow, start: Date, end: Date, column: SQL): SQL[] {
  return [
    ...seriesFilters(q),
    sql`${column} >= ${ts(start)}`,
    sql`${column} < ${ts(end)}`,
    cursorFloor(q, window, column),
  ].filter((w): w is SQL => w !== null);
}

function rawBuckets(
  db: Db,
  q: SystemMetricsQuery,
  window: SystemMetricWindow,
  start: Date,
  end: Date,
): Promise<SystemMetricsResponse> {
  const where = bucketFilters(q, window, start, end, sql`m.recorded_at`);
  const aggregate = sql`select ${bin(window, sql`m.recorded_at`)} as bucket, m.type, m.name, m.service, m.unit,
      ${groupExpr(q)} as grp, count(*)::int as count, avg(m.value) as avg, min(m.value) as min, max(m.value) as max,
      percentile_cont(0.5) within group (order by m.value) as p50,
      percentile_cont(0.95) within group (order by m.value) as p95
    from system_metrics m
    where ${sql.join(where, sql` and `)}
    group by 1, 2, 3, 4, 5, 6`;
  return pageBuckets(db, q, aggregate);
}

/**
 * From system_metrics_hourly: the hours that start within start..end. Count, min and max
 * combine exactly and avg is sum ÷ count; percentiles do not combine, so p50/p95 are the
 * stored hour's where a row is one hour of one series (1h), and null otherwise.
 */
function hourlyBuckets(
  db: Db,
  q: SystemMetricsQuery,
  window: SystemMetricWindow,
  start: Date,
  end: Date,
): Promise<SystemMetricsResponse> {
  const where = bucketFilters(q, window, start, end, sql`m.hour`);
  const single = (column: string) =>
    window === "1h" ? sql`case when count(*) = 1 then min(m.${sql.raw(column)}) end` : sql`null::float8`;
  const aggregate = sql`select ${bin(window, sql`m.hour`)} as bucket, m.type, m.name, m.service, m.unit,
      ${groupExpr(q)} as grp, sum(m.count)::int8 as count, sum(m.sum) / nullif(sum(m.count), 0) as avg,
      min(m.min) as min, max(m.max) as max, ${single("p50")} as p50, ${single("p95")} as p95
    from system_metrics_hourly m
    where ${sql.join(where, sql` and `)}
    group by 1, 2, 3, 4, 5, 6`;
  return pageBuckets(db, q, aggregate);
}

// ---- one point -------------------------------------------------------------------------

/** Point ids are bigserial: any id up to 2^53 − 1, no leading zeros; anything else is a 400. */
export const MetricIdPath = z.object({
  id: z
    .string({ error: "must be a positive integer" })
    .regex(/^[1-9]\d{0,15}$/, { error: "must be a positive integer" })
    .transform(Number)
    .refine((n) => n <= Number.MAX_SAFE_INTEGER, { error: "must be a positive integer" })
    .meta({ type: "integer", minimum: 1, description: "The point's id." }),
});
