import { sql } from "drizzle-orm";
import {
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  bigserial,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { SYSTEM_METRIC_TYPES } from "@/lib/core/vocabulary";

/**
 * Operational points: Flowscope's own (run phases, success, resources, queue) recorded
 * through lib/telemetry's buffer, and any other service's posted to the API. Raw points
 * are kept RETENTION_SYSTEM_METRICS_DAYS; their hours live on in system_metrics_hourly.
 */
export const systemMetrics = pgTable(
  "system_metrics",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    name: text("name").notNull(),
    type: text("type", { enum: SYSTEM_METRIC_TYPES }).notNull(),
    value: doublePrecision("value").notNull(),
    unit: text("unit"),
    service: text("service").notNull().default("flowscope"),
    labels: jsonb("labels")
      .$type<Record<string, string>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("system_metrics_name_time_idx").on(t.name, t.recordedAt),
    // The list (newest first, keyset on time and id) and retention read by time alone.
    index("system_metrics_time_idx").on(t.recordedAt, t.id),
  ],
);

export type SystemMetricRow = typeof systemMetrics.$inferSelect;

/**
 * One row per hour and series (type, name, service, labels): the hour's count, sum,
 * min, max and percentiles, computed from the raw points once the hour is over and kept
 * like the hourly rollups (RETENTION_HOURLY_DAYS).
 */
export const systemMetricsHourly = pgTable(
  "system_metrics_hourly",
  {
    hour: timestamp("hour", { withTimezone: true }).notNull(),
    name: text("name").notNull(),
    type: text("type", { enum: SYSTEM_METRIC_TYPES }).notNull(),
    service: text("service").notNull(),
    labels: jsonb("labels").$type<Record<string, string>>().notNull(),
    unit: text("unit"),
    count: integer("count").notNull(),
    sum: doublePrecision("sum").notNull(),
    min: doublePrecision("min").notNull(),
    max: doublePrecision("max").notNull(),
    p50: doublePrecision("p50").notNull(),
    p95: doublePrecision("p95").notNull(),
  },
  (t) => [
    // The labels by their hash: a btree entry holds at most 2,704 bytes, and a point may carry
    // 20 labels of 200 characters.
    uniqueIndex("system_metrics_hourly_series_idx").on(t.hour, t.name, t.type, t.service, sql`md5(${t.labels}::text)`),
    index("system_metrics_hourly_name_idx").on(t.name, t.hour),
  ],
);

/**
 * Hours that received raw points since they were last aggregated: every write marks its
 * hours here (in the same statement), aggregation clears them, and retention never
 * deletes the raw points of a marked hour, so no point is lost before it is counted.
 */
export const systemMetricHoursPending = pgTable("system_metric_hours_pending", {
  hour: timestamp("hour", { withTimezone: true }).primaryKey(),
});
