import { sql } from "drizzle-orm";
import { doublePrecision, index, jsonb, pgTable, bigserial, text, timestamp } from "drizzle-orm/pg-core";
import { METRIC_TYPES } from "@/lib/core/vocabulary";

export const systemMetrics = pgTable(
  "system_metrics",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    name: text("name").notNull(),
    type: text("type", { enum: METRIC_TYPES }).notNull(),
    value: doublePrecision("value").notNull(),
    unit: text("unit"),
    service: text("service").notNull().default("flowscope"),
    labels: jsonb("labels")
      .$type<Record<string, string>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("system_metrics_name_time_idx").on(t.name, t.recordedAt)],
);
