import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  index,
  integer,
  pgTable,
  primaryKey,
  serial,
  bigserial,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { LLM_COST_SOURCES } from "@/lib/core/vocabulary";
import { clients, workflows } from "./clients";

/** Partitioned by month on occurred_at, as executions are (see executions.ts). */
export const llmUsage = pgTable(
  "llm_usage",
  {
    id: bigserial("id", { mode: "number" }).notNull(),
    clientId: integer("client_id")
      .notNull()
      .references(() => clients.id, { onDelete: "cascade" }),
    workflowId: integer("workflow_id").references(() => workflows.id, { onDelete: "set null" }),
    n8nExecutionId: bigint("n8n_execution_id", { mode: "number" }),
    nodeName: text("node_name"),
    provider: text("provider"),
    model: text("model").notNull(),
    promptTokens: integer("prompt_tokens").notNull().default(0),
    completionTokens: integer("completion_tokens").notNull().default(0),
    totalTokens: integer("total_tokens").notNull().default(0),
    isEstimate: boolean("is_estimate").notNull().default(false),
    /** Null means unpriced (unknown model), never $0. */
    costMicroUsd: bigint("cost_micro_usd", { mode: "number" }),
    /** Null only for rows stored before the source was recorded (they are re-priceable). */
    costSource: text("cost_source", { enum: LLM_COST_SOURCES }),
    reason: text("reason"),
    source: text("source", { enum: ["n8n", "ingest"] }).notNull(),
    /** Retries of the same event or re-extraction of the same node run do not double count. */
    idempotencyKey: text("idempotency_key").notNull(),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // A duplicate's stored cost is found by its key (usage-store.ts); llm_usage_keys keeps keys unique.
    index("llm_usage_idempotency_idx").on(t.clientId, t.idempotencyKey),
    index("llm_usage_client_time_idx").on(t.clientId, t.occurredAt),
    // Usage of given executions: the production filter, reclassified executions, retention.
    index("llm_usage_execution_idx")
      .on(t.clientId, t.n8nExecutionId)
      .where(sql`${t.n8nExecutionId} is not null`),
  ],
);

/**
 * The idempotency key of every stored usage row. A partitioned table's unique index must
 * hold the partition key (occurred_at), which would let one key be stored twice at two
 * times (an execution's start, the fallback time of a call, changes when n8n resumes a
 * waiting run); and probing every month for the key cost the sync benchmark 2 s in 191k
 * calls. One insert here, ON CONFLICT DO NOTHING, decides whether a row is new.
 */
export const llmUsageKeys = pgTable(
  "llm_usage_keys",
  {
    clientId: integer("client_id")
      .notNull()
      .references(() => clients.id, { onDelete: "cascade" }),
    idempotencyKey: text("idempotency_key").notNull(),
  },
  (t) => [primaryKey({ columns: [t.clientId, t.idempotencyKey] })],
);

export const modelPriceOverrides = pgTable(
  "model_price_overrides",
  {
    id: serial("id").primaryKey(),
    model: text("model").notNull(),
    provider: text("provider"),
    /** Micro-dollars per million tokens. */
    inputPerMillionMicroUsd: bigint("input_per_million_micro_usd", { mode: "number" }).notNull(),
    outputPerMillionMicroUsd: bigint("output_per_million_micro_usd", { mode: "number" }).notNull(),
    /** Past costs keep the price that held at their time. */
    effectiveFrom: timestamp("effective_from", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("model_price_overrides_uq").on(t.model, t.effectiveFrom)],
);

export type LlmUsage = typeof llmUsage.$inferSelect;
