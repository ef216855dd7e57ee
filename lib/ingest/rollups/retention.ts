import { sql } from "drizzle-orm";
import { ts, queryRows, type Db } from "@/lib/db/database";
import { env } from "@/lib/core/env";
import { logError } from "@/lib/core/log";
import { ensureMonthPartitions, listMonthPartitions } from "@/lib/db/partitions";
import { bucketStart, daysBefore } from "./buckets";
import {
  retireDayBatch,
  retireHourBatch,
  retirePartition,
  retireRawWindow,
  retireUnstarted,
  retireWeekBatch,
  type BatchKey,
  type BatchResult,
  type Deleted,
} from "./retire";
import { hasSqlState } from "@/lib/db/sql-state";
import { inRollupTransaction } from "./transaction";

export interface RetentionOptions {
  now?: Date;
  /** One client only (a per-client fan-out); default every client. */
  clientId?: number;
  rawDays?: number;
  hourlyDays?: number;
  dailyDays?: number;
  weeklyDays?: number;
  /** About this many rows per transaction, so locks and WAL stay small on large deletions. */
  batchSize?: number;
}

export interface RetentionResult {
  executionsDeleted: number;
  /** LLM usage of deleted non-production executions (see retire.ts); present only when any. */
  usageDeleted?: number;
  /** Old executions kept because their hour is queued: its bucket does not count them yet. */
  executionsKeptDirty: number;
  hourlyDeleted: number;
  /** Old hour rows kept: executions or LLM usage are left in the hour, or it is queued. */
  hourlyKept: number;
  dailyDeleted: number;
  /** Old day rows kept: hour rows are left in the day, or one of its hours is queued. */
  dailyKept: number;
  weeklyDeleted: number;
}

const DEFAULT_BATCH = 10_000;

interface Cutoffs {
  /** Whole hours: an hour's raw rows are archived and deleted together. */
  rawHour: Date;
  raw: Date;
  hourly: Date;
  daily: Date;
  weekly: Date;
}

/** Where the next window of raw rows ends: after about `batch` rows, on an hour boundary. */
async function windowEnd(db: Db, clientId: number, from: Date, end: Date, batch: number): Promise<Date> {
  const [row] = await queryRows<{ hi: Date | string }>(
    db,
    sql`select date_trunc('hour', started_at) + interval '1 hour' as hi from executions
      where client_id = ${clientId} and started_at >= ${ts(from)} and started_at < ${ts(end)}
      order by started_at offset ${batch - 1} limit 1`,
  );
  return row ? new Date(Math.min(new Date(row.hi).getTime(), end.getTime())) : end;
}

/** Raw executions older than the raw horizon, window by window, each in its own transaction. */
async function retireRaw(db: Db, clientId: number, cutoffs: Cutoffs, batch: number): Promise<Deleted> {
  const total: Deleted = { executions: 0, usage: 0 };
  const add = (d: Deleted) => {
    total.executions += d.executions;
    total.usage += d.usage;
  };
  for (let n = batch; n >= batch;) {
    const d = await retireUnstarted(db, clientId, cutoffs.raw, batch);
    add(d);
    n = d.executions;
  }
  const [first] = await queryRows<{ at: Date | string | null }>(
    db,
    sql`select min(started_at) as at from executions where client_id = ${clientId} and started_at < ${ts(cutoffs.rawHour)}`,
  );
  if (first.at === null) return total;
  for (let from = bucketStart(new Date(first.at), "hour"); from < cutoffs.rawHour;) {
    const to = await windowEnd(db, clientId, from, cutoffs.rawHour, batch);
    const window = from;
    add(await inRollupTransaction(db, (tx) => retireRawWindow(tx, clientId, window, to)));
    from = to;
  }
  return total;
}

/**
 * Whole month partitions older than the raw horizon, each in its own transaction: those
 * with every hour final go at once (retirePartition); the month the horizon falls in, and
 * months not final yet, are left to the row-by-row step.
 */
async function retirePartitions(db: Db, rawHour: Date): Promise<Deleted> {
  const total: Deleted = { executions: 0, usage: 0 };
  for (const partition of await listMonthPartitions(db, "executions")) {
    if (partition.to > rawHour) break;
    let d: Deleted | null;
    try {
      d = await inRollupTransaction(db, (tx) => retirePartition(tx, partition));
    } catch (err) {
      // Its rows stay and are retired row by row below: nothing is lost, only the shortcut.
      // A lock not granted in time, or a deadlock that kept aborting the transaction.
      if (!hasSqlState(err, ["55P03", "40P01"])) throw err;
      logError(`retention: month ${partition.name} left to row-by-row retention`, err);
      continue;
    }
    if (!d) continue;
    total.executions += d.executions;
    total.usage += d.usage;
  }
  // Autovacuum never analyzes a partitioned parent; plans over the parent need it.
  await db.execute(sql`analyze executions, llm_usage`);
  return total;
}

type RollupBatch = (tx: Db, clientId: number, cutoff: Date, key: BatchKey, limit: number) => Promise<BatchResult>;

/** Runs a rollup retention step batch by batch, each in its own transaction. */
async function inBatches(db: Db, step: RollupBatch, clientId: number, cutoff: Date, batch: number): Promise<number> {
  let deleted = 0;
  let key: BatchKey = null;
  do {
    const from: BatchKey = key;
    const result: BatchResult = await inRollupTransaction(db, (tx) => step(tx, clientId, cutoff, from, batch));
    deleted += result.deleted;
    key = result.next;
  } while (key);
  return deleted;
}

/** What stays older than the horizons: kept for a reason the result fields name. */
async function countKept(db: Db, clientId: number, cutoffs: Cutoffs) {
  const [row] = await queryRows<{ executions: number; hours: number; days: number }>(
    db,
    sql`select
      (select count(*) from executions where client_id = ${clientId} and started_at < ${ts(cutoffs.rawHour)})::int as executions,
      (select count(*) from rollups where client_id = ${clientId} and granularity = 'hour' and bucket_start < ${ts(cutoffs.hourly)})::int as hours,
      (select count(*) from rollups where client_id = ${clientId} and granularity = 'day' and bucket_start < ${ts(cutoffs.daily)})::int as days`,
  );
  return { executions: Number(row.executions), hours: Number(row.hours), days: Number(row.days) };
}

/**
 * Deletes what is past retention, one client at a time (the indexes lead with client_id),
 * and only final data (retire.ts): raw executions older than `rawDays` in hours that are
 * not queued, after archiving what their bucket counts; hour rows older than
 * `hourlyDays` with nothing left to recount, folded into their day's archive; day rows
 * older than `dailyDays` without hour rows, folded into their week's and month's archive;
 * week rows older than `weeklyDays` without day rows. Month rows are kept forever.
 * Every bucket keeps its value throughout. A run for all clients first keeps the month
 * partitions and drops whole final months of raw rows (retirePartitions); the row-by-row
 * step then sees only the rest.
 */
export async function runRetention(db: Db, opts: RetentionOptions = {}): Promise<RetentionResult> {
  const now = opts.now ?? new Date();
  const batch = Math.max(1, Math.trunc(opts.batchSize ?? DEFAULT_BATCH));
  const raw = daysBefore(now, opts.rawDays ?? env.RETENTION_RAW_DAYS);
  const cutoffs: Cutoffs = {
    raw,
    rawHour: bucketStart(raw, "hour"),
    hourly: daysBefore(now, opts.hourlyDays ?? env.RETENTION_HOURLY_DAYS),
    daily: daysBefore(now, opts.dailyDays ?? env.RETENTION_DAILY_DAYS),
    weekly: daysBefore(now, opts.weeklyDays ?? env.RETENTION_WEEKLY_DAYS),
  };
  const result: RetentionResult = {
    executionsDeleted: 0,
    executionsKeptDirty: 0,
    hourlyDeleted: 0,
    hourlyKept: 0,
    dailyDeleted: 0,
    dailyKept: 0,
    weeklyDeleted: 0,
  };
  const clientRows =
    opts.clientId === undefined
      ? await queryRows<{ id: number }>(db, sql`select id from clients order by id`)
      : [{ id: opts.clientId }];

  if (opts.clientId === undefined) {
    await ensureMonthPartitions(db, now);
    const deleted = await retirePartitions(db, cutoffs.rawHour);
    result.executionsDeleted += deleted.executions;
    if (deleted.usage > 0) result.usageDeleted = deleted.usage;
  }
  for (const { id: clientId } of clientRows) {
    const deleted = await retireRaw(db, clientId, cutoffs, batch);
    result.executionsDeleted += deleted.executions;
    if (deleted.usage > 0) result.usageDeleted = (result.usageDeleted ?? 0) + deleted.usage;
    result.hourlyDeleted += await inBatches(db, retireHourBatch, clientId, cutoffs.hourly, batch);
    result.dailyDeleted += await inBatches(db, retireDayBatch, clientId, cutoffs.daily, batch);
    result.weeklyDeleted += await inBatches(db, retireWeekBatch, clientId, cutoffs.weekly, batch);
    const kept = await countKept(db, clientId, cutoffs);
    result.executionsKeptDirty += kept.executions;
    result.hourlyKept += kept.hours;
    result.dailyKept += kept.days;
  }
  return result;
}
