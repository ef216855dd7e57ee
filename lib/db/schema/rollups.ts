import { sql } from "drizzle-orm";
import {
  bigint,
  doublePrecision,
  index,
  customType,
  integer,
  pgTable,
  text,
  timestamp,
  primaryKey,
} from "drizzle-orm/pg-core";
import { GRANULARITIES } from "@/lib/core/vocabulary";
import { packHistogram, unpackHistogram, type LatencyHistogram } from "@/lib/core/histogram";
import { clients, workflows } from "./clients";

/** A latency histogram, stored packed (int8[], lib/core/histogram.ts), read as `{index: count}`. */
const latencyHistogram = customType<{ data: LatencyHistogram; driverData: unknown }>({
  dataType: () => "bigint[]",
  toDriver: (h) => `{${packHistogram(h).join(",")}}`,
  fromDriver: (v) => unpackHistogram(v),
});

/**
 * What a bucket counts. Shared by `rollups` (the buckets) and `rollup_archive` (what
 * children that retention deleted had contributed), so the two always add up column by column.
 */
const bucketMeasures = () => ({
  total: integer("total").notNull().default(0),
  success: integer("success").notNull().default(0),
  error: integer("error").notNull().default(0),
  crashed: integer("crashed").notNull().default(0),
  canceled: integer("canceled").notNull().default(0),
  /** waiting, running, new, unknown: counted, but not final. */
  other: integer("other").notNull().default(0),
  durationCount: integer("duration_count").notNull().default(0),
  durationSumMs: bigint("duration_sum_ms", { mode: "number" }).notNull().default(0),
  durationMinMs: integer("duration_min_ms"),
  durationMaxMs: integer("duration_max_ms"),
  /** Sparse log-bucket histogram, packed (lib/core/histogram.ts). */
  latencyHistogram: latencyHistogram("latency_histogram")
    .notNull()
    .default(sql`'{}'::bigint[]`),
  peakConcurrency: integer("peak_concurrency").notNull().default(0),
  minutesSaved: doublePrecision("minutes_saved").notNull().default(0),
  llmCalls: integer("llm_calls").notNull().default(0),
  tokensIn: bigint("tokens_in", { mode: "number" }).notNull().default(0),
  tokensOut: bigint("tokens_out", { mode: "number" }).notNull().default(0),
  /** Integer micro-dollars: exact sums, formatted only at display. */
  costMicroUsd: bigint("cost_micro_usd", { mode: "number" }).notNull().default(0),
});

const bucketKey = () => ({
  clientId: integer("client_id")
    .notNull()
    .references(() => clients.id, { onDelete: "cascade" }),
  workflowId: integer("workflow_id")
    .notNull()
    .references(() => workflows.id, { onDelete: "cascade" }),
  granularity: text("granularity", { enum: GRANULARITIES }).notNull(),
  /** UTC start of the bucket; weeks start on Monday (date_trunc('week')). */
  bucketStart: timestamp("bucket_start", { withTimezone: true }).notNull(),
});

export const rollups = pgTable(
  "rollups",
  {
    ...bucketKey(),
    ...bucketMeasures(),
    computedAt: timestamp("computed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One row per bucket: every write is an idempotent upsert on this key. No surrogate id:
    // its index cost every one of the millions of rows a rollup writes, and nothing needs it.
    primaryKey({ name: "rollups_pkey", columns: [t.clientId, t.granularity, t.bucketStart, t.workflowId] }),
    index("rollups_workflow_idx").on(t.workflowId, t.granularity, t.bucketStart),
  ],
);

/**
 * One row per client and bucket: the sum of that bucket's per-workflow rows (merge.ts),
 * so a client's range reads one row per bucket however many workflows it has. Derived
 * only: rewritten from `rollups` whenever a bucket of it is written or deleted
 * (client-buckets.ts), never by hand.
 */
export const clientRollups = pgTable(
  "client_rollups",
  {
    clientId: integer("client_id")
      .notNull()
      .references(() => clients.id, { onDelete: "cascade" }),
    granularity: text("granularity", { enum: GRANULARITIES }).notNull(),
    bucketStart: timestamp("bucket_start", { withTimezone: true }).notNull(),
    ...bucketMeasures(),
    computedAt: timestamp("computed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.clientId, t.granularity, t.bucketStart] })],
);

/**
 * The part of a bucket whose sources retention deleted: for an hour, its raw executions;
 * for a day, its hour rows; for a week or month, its day rows. A bucket is always
 * recomputed as its archive plus the sources that still exist, so a late execution in an
 * old hour adds to what was counted there instead of replacing it.
 */
export const rollupArchive = pgTable(
  "rollup_archive",
  {
    ...bucketKey(),
    ...bucketMeasures(),
    archivedAt: timestamp("archived_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.clientId, t.granularity, t.bucketStart, t.workflowId] })],
);

/**
 * The dirty-bucket queue: (client, workflow, UTC hour) keys whose hour bucket, and the
 * day, week and month above it, must be recomputed. Filled by triggers on every insert or
 * bucket-relevant update of executions and llm_usage (old and new keys; drizzle/0005),
 * drained by rollup refresh in the transaction that recomputes them.
 */
export const rollupDirtyHours = pgTable(
  "rollup_dirty_hours",
  {
    clientId: integer("client_id")
      .notNull()
      .references(() => clients.id, { onDelete: "cascade" }),
    workflowId: integer("workflow_id")
      .notNull()
      .references(() => workflows.id, { onDelete: "cascade" }),
    hour: timestamp("hour", { withTimezone: true }).notNull(),
    /** Bumped on every re-enqueue, so a refresh that read the key before conflicts and retries. */
    enqueuedAt: timestamp("enqueued_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.clientId, t.hour, t.workflowId] })],
);

export type Rollup = typeof rollups.$inferSelect;
export type NewRollup = typeof rollups.$inferInsert;
export type ClientRollup = typeof clientRollups.$inferSelect;
