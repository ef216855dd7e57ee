import { bigint, index, integer, pgTable, serial, text, timestamp } from "drizzle-orm/pg-core";
import { GAP_STATES } from "@/lib/core/vocabulary";
import { clients } from "./clients";

/**
 * The coverage ledger's read ranges: spans of the execution id line [lo, hi] over which
 * n8n's list has been read. Kept merged; one range from the history floor to the newest
 * id means nothing is left to read. Holes between ranges are still to read.
 */
export const collectRanges = pgTable(
  "collect_ranges",
  {
    id: serial("id").primaryKey(),
    clientId: integer("client_id")
      .notNull()
      .references(() => clients.id, { onDelete: "cascade" }),
    lo: bigint("lo", { mode: "number" }).notNull(),
    hi: bigint("hi", { mode: "number" }).notNull(),
    readAt: timestamp("read_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("collect_ranges_client_idx").on(t.clientId, t.hi)],
);

/**
 * Ids inside read ranges that the list did not return and that are not stored: a running
 * execution (n8n hides those), or one pruned, deleted or not visible to the key. Unprobed
 * gaps are asked for one by one (GET /executions/{id}); a 404 makes them `missing`.
 * `afterAt`/`beforeAt`: start times of the stored neighbours, the gap's time span.
 */
export const collectGaps = pgTable(
  "collect_gaps",
  {
    id: serial("id").primaryKey(),
    clientId: integer("client_id")
      .notNull()
      .references(() => clients.id, { onDelete: "cascade" }),
    lo: bigint("lo", { mode: "number" }).notNull(),
    hi: bigint("hi", { mode: "number" }).notNull(),
    state: text("state", { enum: GAP_STATES }).notNull().default("unprobed"),
    afterAt: timestamp("after_at", { withTimezone: true }),
    beforeAt: timestamp("before_at", { withTimezone: true }),
    firstSeenAt: timestamp("first_seen_at", { withTimezone: true }).notNull().defaultNow(),
    /** When a probe first answered 404 (state missing). */
    missingSince: timestamp("missing_since", { withTimezone: true }),
  },
  (t) => [index("collect_gaps_client_idx").on(t.clientId, t.state, t.hi)],
);
