import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  doublePrecision,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import type { ScheduleTriggerNode } from "@/lib/core/vocabulary";
import { timestamps } from "./columns";

export const clients = pgTable("clients", {
  id: serial("id").primaryKey(),
  name: text("name").notNull(),
  slug: text("slug").notNull().unique(),
  n8nBaseUrl: text("n8n_base_url").notNull(),
  /** AES-256-GCM ciphertext (lib/core/secrets); only lib/clients/connection.ts decrypts it. */
  n8nApiKey: text("n8n_api_key").notNull(),
  /** The key's last 4 characters: all a page or an API answer ever shows of it. */
  n8nApiKeyHint: text("n8n_api_key_hint").notNull().default(""),
  /** FilterRules (lib/clients/rules.ts), validated before every write. */
  filterRules: jsonb("filter_rules")
    .notNull()
    .default(sql`'{}'::jsonb`),
  active: boolean("active").notNull().default(true),
  /** Parallel executions the client's n8n can run; the denominator of capacity use. */
  concurrencyLimit: integer("concurrency_limit").notNull().default(10),
  /** Minutes saved by a workflow that sets no timeSavedPerExecution. */
  defaultMinutesSaved: doublePrecision("default_minutes_saved").notNull().default(0),
  /**
   * IANA zone of the client's day, week and month buckets (local midnight, weeks from
   * Monday) and of its pages. Changed only through lib/jobs/time-zone.ts,
   * which rebuilds the buckets.
   */
  timeZone: text("time_zone").notNull().default("UTC"),
  /**
   * Where the current zone's day, week and month buckets begin after a zone change; the
   * buckets before it stay in the zones of client_zone_eras. Null: every bucket.
   */
  timeZoneFrom: timestamp("time_zone_from", { withTimezone: true }),
  /**
   * Set once a sync has paged to the end of n8n's list. Until then a sync must not stop
   * at known executions: an interrupted first backfill would otherwise never resume.
   */
  historyCompleteAt: timestamp("history_complete_at", { withTimezone: true }),
  /**
   * The lowest execution id n8n listed when a sync first read to the end of its list:
   * where this client's history starts. Ids below it existed before Flowscope did.
   */
  historyFloorId: bigint("history_floor_id", { mode: "number" }),
  /**
   * When the client's base URL last answered like the n8n API. Once it has, an HTML page
   * on one request is a proxy's hiccup (transient), not a wrong URL. Cleared on a URL change.
   */
  n8nVerifiedAt: timestamp("n8n_verified_at", { withTimezone: true }),
  /** When the execution at the history floor started: where the history starts, whatever retention dropped since. */
  historyStartAt: timestamp("history_start_at", { withTimezone: true }),
  /** Executions collected, counted and then dropped by raw retention: still part of what was collected. */
  executionsRetired: bigint("executions_retired", { mode: "number" }).notNull().default(0),
  /**
   * The sync-client run that holds this client's sync, across processes (the server, the
   * CLI, replicas): claimed atomically, free again once that run's lease has expired.
   */
  syncRunId: integer("sync_run_id"),
  ...timestamps,
});

export const workflows = pgTable(
  "workflows",
  {
    id: serial("id").primaryKey(),
    clientId: integer("client_id")
      .notNull()
      .references(() => clients.id, { onDelete: "cascade" }),
    n8nWorkflowId: text("n8n_workflow_id").notNull(),
    name: text("name").notNull(),
    active: boolean("active").notNull().default(false),
    isArchived: boolean("is_archived").notNull().default(false),
    tags: jsonb("tags")
      .$type<string[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    /** Node types in the workflow; tells the LLM extractor which executions need data. */
    nodeTypes: jsonb("node_types")
      .$type<string[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    /**
     * The workflow's Schedule Trigger nodes as n8n holds them (name, type, parameters,
     * disabled): the missed-schedule alert reads its expected runs from them.
     */
    scheduleTriggers: jsonb("schedule_triggers")
      .$type<ScheduleTriggerNode[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    /** The workflow's own zone (n8n's settings.timezone); null: the n8n instance's default. */
    timeZone: text("time_zone"),
    minutesSavedPerExecution: doublePrecision("minutes_saved_per_execution"),
    n8nCreatedAt: timestamp("n8n_created_at", { withTimezone: true }),
    n8nUpdatedAt: timestamp("n8n_updated_at", { withTimezone: true }),
    lastSyncedAt: timestamp("last_synced_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("workflows_client_n8n_id_uq").on(t.clientId, t.n8nWorkflowId)],
);

/**
 * The zones a client's day, week and month buckets had before its zone changed: buckets
 * starting before `until` (and at or after the previous era's) are in `time_zone`.
 */
export const clientZoneEras = pgTable(
  "client_zone_eras",
  {
    clientId: integer("client_id")
      .notNull()
      .references(() => clients.id, { onDelete: "cascade" }),
    until: timestamp("until", { withTimezone: true }).notNull(),
    timeZone: text("time_zone").notNull(),
  },
  (t) => [primaryKey({ columns: [t.clientId, t.until] })],
);

export type Client = typeof clients.$inferSelect;
export type NewClient = typeof clients.$inferInsert;
export type Workflow = typeof workflows.$inferSelect;
