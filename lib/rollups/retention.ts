import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { daysBefore } from "./buckets";

export interface RetentionOptions {
  now?: Date;
  /** One client only (a per-client fan-out); default every client. */
  clientId?: number;
  rawDays?: number;
  hourlyDays?: number;
  dailyDays?: number;
  weeklyDays?: number;
  /** Rows per DELETE statement, so locks and WAL stay small on large deletions. */
  batchSize?: number;
}

export interface RetentionResult {
  executionsDeleted: number;
  /** LLM usage of deleted non-production executions (see below); present only when any. */
  usageDeleted?: number;
  /** Old executions kept because their buckets were not computed yet (rolled_up_at null). */
  executionsKeptUnrolled: number;
  hourlyDeleted: number;
  /** Old hour rows kept because their day was not recomputed after them. */
  hourlyKeptUnmerged: number;
  dailyDeleted: number;
  /** Old day rows kept because their week or month was not recomputed after them. */
  dailyKeptUnmerged: number;
  weeklyDeleted: number;
}

const DEFAULT_BATCH = 10_000;
const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/** Deletes the rows `select id ... limit` picks, batch after batch, so locks stay short. */
async function deleteInBatches(db: Db, batch: number, table: SQL, pickIds: (limit: number) => SQL): Promise<number> {
  let total = 0;
  for (;;) {
    const [row] = await queryRows<{ n: number }>(
      db,
      sql`with gone as (delete from ${table} where id in (${pickIds(batch)}) returning 1) select count(*)::int as n from gone`,
    );
    total += Number(row.n);
    if (Number(row.n) < batch) return total;
  }
}

async function count(db: Db, query: SQL): Promise<number> {
  const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from (${query}) x`);
  return Number(row.n);
}

/**
 * A child rollup row may go once its parent row has seen it: the parent was computed at or
 * after it (refresh and rebuild compute both levels in one transaction, so they share
 * computed_at), or the parent was already frozen when the child was computed (it started
 * more than `parentSourceDays` before; see compute.ts `addTargets`), so nothing would ever
 * merge the child again. Otherwise (e.g. after a rebuild of hours only) the child is kept.
 */
function merged(parent: "day" | "week" | "month", parentSourceDays: number): SQL {
  const g = sql.raw(`'${parent}'`);
  const days = sql.raw(String(Math.trunc(parentSourceDays)));
  return sql`exists (select 1 from rollups p where p.client_id = r.client_id and p.workflow_id = r.workflow_id
    and p.granularity = ${g} and p.bucket_start = date_trunc(${g}, r.bucket_start)
    and (p.computed_at >= r.computed_at or p.bucket_start < r.computed_at - make_interval(days => ${days})))`;
}

/**
 * Deletes what is past retention, one client at a time (the indexes lead with client_id):
 * raw executions older than `rawDays` only when rolled up, so no execution is lost before
 * it is counted; hour, day and week rollups older than their limits, but only once merged
 * into the level above; month rollups are kept forever.
 */
export async function runRetention(db: Db, opts: RetentionOptions = {}): Promise<RetentionResult> {
  const now = opts.now ?? new Date();
  const batch = Math.max(1, Math.trunc(opts.batchSize ?? DEFAULT_BATCH));
  const rawCutoff = daysBefore(now, opts.rawDays ?? env.RETENTION_RAW_DAYS);
  const hourlyDays = opts.hourlyDays ?? env.RETENTION_HOURLY_DAYS;
  const dailyDays = opts.dailyDays ?? env.RETENTION_DAILY_DAYS;
  const hourlyCutoff = daysBefore(now, hourlyDays);
  const dailyCutoff = daysBefore(now, dailyDays);
  const weeklyCutoff = daysBefore(now, opts.weeklyDays ?? env.RETENTION_WEEKLY_DAYS);
  const result: RetentionResult = {
    executionsDeleted: 0,
    executionsKeptUnrolled: 0,
    hourlyDeleted: 0,
    hourlyKeptUnmerged: 0,
    dailyDeleted: 0,
    dailyKeptUnmerged: 0,
    weeklyDeleted: 0,
  };
  const clientRows =
    opts.clientId === undefined
      ? await queryRows<{ id: number }>(db, sql`select id from clients order by id`)
      : [{ id: opts.clientId }];

  for (const { id: clientId } of clientRows) {
    // Executions that never started have no bucket; first_seen_at dates them.
    const oldExecutions = sql`client_id = ${clientId} and (started_at < ${ts(rawCutoff)}
      or (started_at is null and first_seen_at < ${ts(rawCutoff)}))`;
    result.executionsKeptUnrolled += await count(
      db,
      sql`select 1 from executions where ${oldExecutions} and rolled_up_at is null`,
    );
    // Usage of a non-production execution is left out of the counts only while that
    // execution is stored (rollups/usage.ts), so it is deleted with it, or it would start
    // counting. Other usage is kept: the only per-model record, far smaller than executions.
    const usageDeleted = await deleteInBatches(
      db,
      batch,
      sql`llm_usage`,
      (limit) => sql`select u.id from executions e
        join llm_usage u on u.client_id = e.client_id and u.n8n_execution_id = e.n8n_execution_id
        where e.client_id = ${clientId} and not e.is_production and e.rolled_up_at is not null
          and (e.started_at < ${ts(rawCutoff)} or (e.started_at is null and e.first_seen_at < ${ts(rawCutoff)}))
        limit ${limit}`,
    );
    if (usageDeleted > 0) result.usageDeleted = (result.usageDeleted ?? 0) + usageDeleted;
    result.executionsDeleted += await deleteInBatches(
      db,
      batch,
      sql`executions`,
      (limit) => sql`select id from executions where ${oldExecutions} and rolled_up_at is not null limit ${limit}`,
    );

    const oldRollups = (granularity: string, cutoff: Date) =>
      sql`r.client_id = ${clientId} and r.granularity = ${sql.raw(`'${granularity}'`)} and r.bucket_start < ${ts(cutoff)}`;
    const hourly = oldRollups("hour", hourlyCutoff);
    result.hourlyDeleted += await deleteInBatches(
      db,
      batch,
      sql`rollups`,
      (limit) => sql`select r.id from rollups r where ${hourly} and ${merged("day", hourlyDays)} limit ${limit}`,
    );
    result.hourlyKeptUnmerged += await count(db, sql`select 1 from rollups r where ${hourly}`);

    const daily = oldRollups("day", dailyCutoff);
    const dayMerged = sql`${merged("week", dailyDays)} and ${merged("month", dailyDays)}`;
    result.dailyDeleted += await deleteInBatches(
      db,
      batch,
      sql`rollups`,
      (limit) => sql`select r.id from rollups r where ${daily} and ${dayMerged} limit ${limit}`,
    );
    result.dailyKeptUnmerged += await count(db, sql`select 1 from rollups r where ${daily}`);

    result.weeklyDeleted += await deleteInBatches(
      db,
      batch,
      sql`rollups`,
      (limit) => sql`select r.id from rollups r where ${oldRollups("week", weeklyCutoff)} limit ${limit}`,
    );
  }
  return result;
}
