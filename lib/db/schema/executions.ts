import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, pgTable, bigserial, text, timestamp, unique } from "drizzle-orm/pg-core";
import { EXECUTION_STATUSES, FAILED_STATUSES, UNFINISHED_STATUSES } from "@/lib/core/vocabulary";
import { sqlLiterals } from "../sql-literals";
import { clients, workflows } from "./clients";

/**
 * Partitioned by month on started_at (drizzle/0013: drizzle-kit does not declare
 * partitions; lib/db/partitions.ts keeps them). A partitioned table's keys must hold the
 * partition key, so `id` is a plain sequence number (nothing references it) and an
 * execution's key holds started_at; collect/executions.ts moves a row whose start changes.
 */
export const executions = pgTable(
  "executions",
  {
    id: bigserial("id", { mode: "number" }).notNull(),
    clientId: integer("client_id")
      .notNull()
      .references(() => clients.id, { onDelete: "cascade" }),
    workflowId: integer("workflow_id")
      .notNull()
      .references(() => workflows.id, { onDelete: "cascade" }),
    // n8n ids are numeric strings; bigint makes "newer than" an integer comparison.
    n8nExecutionId: bigint("n8n_execution_id", { mode: "number" }).notNull(),
    status: text("status", { enum: EXECUTION_STATUSES }).notNull(),
    mode: text("mode").notNull(),
    finished: boolean("finished").notNull().default(false),
    startedAt: timestamp("started_at", { withTimezone: true }),
    stoppedAt: timestamp("stopped_at", { withTimezone: true }),
    waitTill: timestamp("wait_till", { withTimezone: true }),
    durationMs: integer("duration_ms"),
    retryOf: bigint("retry_of", { mode: "number" }),
    isProduction: boolean("is_production").notNull(),
    exclusionReason: text("exclusion_reason"),
    // Error details are in the run data only (lib/ingest/collect/error-details.ts).
    errorMessage: text("error_message"),
    errorNode: text("error_node"),
    /** n8n's error class, e.g. NodeApiError, NodeOperationError, WorkflowCrashedError. */
    errorType: text("error_type"),
    /**
     * When the run data of a failed production execution was read for its error. Null
     * while it is still to be read (the index below holds only those); never set for
     * other executions, so one that fails or is reclassified as production later is read.
     */
    errorReadAt: timestamp("error_read_at", { withTimezone: true }),
    firstSeenAt: timestamp("first_seen_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    /**
     * Null while the LLM usage in the run data is still to be read (AI workflows only;
     * others are stored with a value). Cleared again when an AI execution finishes, so
     * its final run data is read. Durable, so failed or interrupted reads are retried.
     */
    llmExtractedAt: timestamp("llm_extracted_at", { withTimezone: true }),
  },
  (t) => [
    // Null starts (executions n8n has not started) are equal: one row per execution.
    unique("executions_client_n8n_id_uq").on(t.clientId, t.n8nExecutionId, t.startedAt).nullsNotDistinct(),
    // Range scans for rollups, live metrics and retention.
    index("executions_client_started_idx").on(t.clientId, t.startedAt),
    // Unfinished executions are re-read on every sync until they finish.
    index("executions_unfinished_idx")
      .on(t.clientId)
      .where(sql`${t.status} in (${sqlLiterals(UNFINISHED_STATUSES)})`),
    // Whether usage belongs to an excluded execution (rollups/usage.ts), probed per usage
    // row. Exact, so the probe never falls back to the client's whole range of starts when
    // fresh partitions have no statistics yet (a first sync measured 135 s on it).
    index("executions_excluded_idx")
      .on(t.clientId, t.n8nExecutionId)
      .where(sql`not ${t.isProduction}`),
    // The executions explorer (lib/metrics/explorer.ts), newest first by n8n id: its
    // failures view, and one workflow's runs (a quiet workflow's would otherwise be found
    // by reading the client's runs in id order until a page fills).
    index("executions_failed_idx")
      .on(t.clientId, t.n8nExecutionId)
      .where(sql`${t.status} in (${sqlLiterals(FAILED_STATUSES)})`),
    index("executions_workflow_idx").on(t.clientId, t.workflowId, t.n8nExecutionId),
    // Failed production executions whose error each sync still has to read.
    index("executions_error_pending_idx")
      .on(t.clientId, t.n8nExecutionId)
      .where(sql`${t.errorReadAt} is null and ${t.isProduction} and ${t.status} in (${sqlLiterals(FAILED_STATUSES)})`),
    // Executions whose LLM usage each sync still has to read; partial, so it stays tiny.
    index("executions_llm_pending_idx")
      .on(t.clientId, t.workflowId)
      .where(sql`${t.llmExtractedAt} is null`),
  ],
);

export type Execution = typeof executions.$inferSelect;
export type NewExecution = typeof executions.$inferInsert;
