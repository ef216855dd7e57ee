/**
 * What every execution-metrics section needs: the client row it may show, the range as
 * the answer names it, and the rollup windows it reads. Row conversions (ts, num) are
 * lib/db/database.ts's; rounding and comparisons lib/metrics/compare.ts's.
 */
import type { BucketWindow } from "@/lib/metrics/window";
import { eq, sql, type SQL } from "drizzle-orm";
import { queryRows, ts, type Db } from "@/lib/db/database";
import { clients } from "@/lib/db/schema";
import { type Granularity } from "@/lib/core/vocabulary";
import { env } from "@/lib/core/env";
import { AppError } from "@/lib/core/errors";
import { daysBefore, granularitySql } from "@/lib/ingest/rollups/buckets";
import { BucketCalendar, loadCalendar } from "@/lib/ingest/rollups/calendar";
import type { ResolvedRange } from "@/lib/metrics/range";
import type { ExecutionQuery, RangeInfo } from "./types";

export interface ClientContext {
  id: number;
  name: string;
  concurrencyLimit: number;
}

/** A section's argument; `client` and `calendar` skip their lookups when the caller already made them. */
export type SectionQuery = ExecutionQuery & { client?: ClientContext; calendar?: BucketCalendar };

/** The client's bucket calendar (lib/ingest/rollups/calendar.ts), read once per dashboard answer. */
export function sectionCalendar(db: Db, q: SectionQuery): Promise<BucketCalendar> {
  return q.calendar ? Promise.resolve(q.calendar) : loadCalendar(db, q.clientId);
}

/** Explicit columns (never the n8n key); unknown id → 404. */
export async function loadClient(db: Db, clientId: number): Promise<ClientContext> {
  const [row] = await db
    .select({ id: clients.id, name: clients.name, concurrencyLimit: clients.concurrencyLimit })
    .from(clients)
    .where(eq(clients.id, clientId));
  if (!row) throw new AppError("not_found", `Client ${clientId} not found`);
  return row;
}

/** The client's workflow names by id, for sections that tally per workflow. */
export async function workflowNames(db: Db, clientId: number): Promise<Map<number, string>> {
  const rows = await queryRows<{ id: number; name: string }>(
    db,
    sql`select id, name from workflows where client_id = ${clientId}`,
  );
  return new Map(rows.map((w) => [Number(w.id), w.name]));
}

export function rangeInfo(range: ResolvedRange): RangeInfo {
  return { start: range.start.toISOString(), end: range.end.toISOString(), granularity: range.granularity };
}

/**
 * The rollup buckets that answer a range: those labelled from the client's bucket
 * holding `start` (lib/ingest/rollups/calendar.ts) up to `end`.
 * Unlike lib/metrics/window.ts's bucketWindow, `to` is the range's end, not rounded up
 * to a bucket: the sections read minute detail and capacity up to the range's end.
 */
export function rangeWindow(
  range: Pick<ResolvedRange, "start" | "end">,
  granularity: Granularity,
  calendar: BucketCalendar = BucketCalendar.UTC,
): BucketWindow {
  return { from: calendar.label(range.start, granularity), to: range.end };
}

/** SQL condition on `rollups r` for one client, level and window. */
export function rollupsIn(clientId: number, granularity: Granularity, w: BucketWindow): SQL {
  return sql`r.client_id = ${clientId} and r.granularity = ${granularitySql(granularity)}
    and r.bucket_start >= ${ts(w.from)} and r.bucket_start < ${ts(w.to)}`;
}

/**
 * Whether hourly rollups still hold the range (retention deletes older hours). Judged on
 * the range's start, not its first bucket: at most that one partial hour may be gone, and
 * raw rows are kept no longer, so reading them would not recover it.
 */
export function withinHourlyRetention(start: Date, now: Date): boolean {
  return start.getTime() >= daysBefore(now, env.RETENTION_HOURLY_DAYS).getTime();
}
