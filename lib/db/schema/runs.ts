import { sql } from "drizzle-orm";
import { bigint, index, integer, jsonb, pgTable, serial, text, timestamp } from "drizzle-orm/pg-core";
import { SYNC_FUNCTIONS, SYNC_TRIGGERS, SYNC_STATUSES, type PhaseTimings } from "@/lib/core/vocabulary";
import { clients } from "./clients";

export const syncRuns = pgTable(
  "sync_runs",
  {
    id: serial("id").primaryKey(),
    function: text("function", { enum: SYNC_FUNCTIONS }).notNull(),
    trigger: text("trigger", { enum: SYNC_TRIGGERS }).notNull(),
    clientId: integer("client_id").references(() => clients.id, { onDelete: "cascade" }),
    status: text("status", { enum: SYNC_STATUSES }).notNull().default("running"),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    pages: integer("pages").notNull().default(0),
    workflowsSeen: integer("workflows_seen").notNull().default(0),
    executionsSeen: integer("executions_seen").notNull().default(0),
    executionsNew: integer("executions_new").notNull().default(0),
    executionsUpdated: integer("executions_updated").notNull().default(0),
    executionsExcluded: integer("executions_excluded").notNull().default(0),
    phaseMs: jsonb("phase_ms")
      .$type<PhaseTimings>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    details: jsonb("details").$type<Record<string, unknown>>(),
    /** One readable sentence with its cause. */
    error: text("error"),
    /** Technical detail of the error (SQL text, stack), capped; for debugging only. */
    errorDetail: text("error_detail"),
    /**
     * The lease: a running run's process bumps this every few seconds. A run whose
     * heartbeat is older than the lease was killed, and whoever looks next fails it.
     */
    heartbeatAt: timestamp("heartbeat_at", { withTimezone: true }),
  },
  (t) => [
    // Freshness per client and the sync history page read the newest runs first.
    index("sync_runs_client_started_idx").on(t.clientId, t.function, t.startedAt),
    // The metrics cache's data version: the newest finished run per client, read on every request.
    index("sync_runs_client_finished_idx")
      .on(t.clientId, t.finishedAt)
      .where(sql`${t.finishedAt} is not null`),
    // Lease expiry (lib/runs/lease.ts) runs at every run's start: only running rows, by last sign of life.
    index("sync_runs_running_lease_idx")
      .on(sql`coalesce(${t.heartbeatAt}, ${t.startedAt})`)
      .where(sql`${t.status} = 'running'`),
  ],
);

export type SyncRun = typeof syncRuns.$inferSelect;

/**
 * A counter per client (scope = client id; 0 for runs of no client, such as retention)
 * that a trigger on sync_runs bumps whenever a run finishes, however it finishes (its job,
 * a lease expiry, a failed dispatch). The metrics cache reads it as the data version: one
 * primary-key lookup per answer instead of an aggregate over every finished run.
 */
export const dataVersions = pgTable("data_versions", {
  scope: integer("scope").primaryKey(),
  version: bigint("version", { mode: "number" }).notNull().default(0),
});
