/**
 * The steps of retention (retention.ts), each deleting only final data: sources whose
 * buckets count them, and whose contribution is kept in an archive row before they go.
 * The rule every step keeps: bucket = archive + sources that still exist (compute.ts).
 *
 * A (client, workflow, hour) that is not on the dirty-bucket queue is final: refresh
 * drains a key in the transaction that recomputes its hour and the levels above, so its
 * buckets count exactly its rows. Steps run in REPEATABLE READ transactions and write the
 * parent buckets they touch, so a refresh running meanwhile on the same buckets conflicts
 * with them and one of the two retries (inRollupTransaction).
 */
import { sql, type SQL } from "drizzle-orm";
import { ts, queryRows, type Db } from "@/lib/db/database";
import { arrayParam, sqlLiterals } from "@/lib/db/sql-literals";
import { UNFINISHED_STATUSES, type Granularity } from "@/lib/core/vocabulary";
import { computeUpward } from "./compute";
import {
  addToArchiveSql,
  aggregatedMeasuresSql,
  executionMeasuresSql,
  MEASURE_COLUMNS,
  replaceArchiveSql,
} from "./merge";
import { writeClientBuckets } from "./client-buckets";
import { bucketEndSql, bucketStartSql, zoneSpanJoin } from "./buckets";
import { analyzeTargets, prepareTargets, TARGETS } from "./targets";

const UNFINISHED = sqlLiterals(UNFINISHED_STATUSES);

/**
 * True when `probe` (a `select 1 from ... where ...` over alias `r`) finds no row. A scalar
 * subquery with LIMIT is never flattened into a join: it stays one index range scan per
 * row of `r`. As a NOT EXISTS the planner may hash the whole client's rows on workflow_id
 * and filter the time range per pair, quadratic in the rows of a workflow.
 */
const absent = (probe: SQL) => sql`(${probe} limit 1) is null`;

/** Whether the client's (workflow, hour) is queued; `hour` may be a range [hour, hourEnd). */
function queued(clientId: number, workflow: SQL, hour: SQL, hourEnd?: SQL): SQL {
  const hours = hourEnd ? sql`q.hour >= ${hour} and q.hour < ${hourEnd}` : sql`q.hour = ${hour}`;
  return sql`exists (select 1 from rollup_dirty_hours q
    where q.client_id = ${clientId} and ${hours} and q.workflow_id = ${workflow})`;
}

/**
 * The (workflow, hour) keys of [from, to) that hold an execution n8n may still change
 * (running, waiting, new): such an hour is not final. Its rows stay until it finishes,
 * so the finished status is counted. Read once per window (a range scan of the window),
 * then matched as a small constant set, not probed once per deleted row.
 */
async function unfinishedKeys(tx: Db, clientId: number, from: Date, to: Date): Promise<string> {
  const rows = await queryRows<{ w: number; h: string | Date }>(
    tx,
    sql`select distinct workflow_id as w, date_trunc('hour', started_at) as h from executions
      where client_id = ${clientId} and started_at >= ${ts(from)} and started_at < ${ts(to)} and status in (${UNFINISHED})`,
  );
  return JSON.stringify(rows.map((r) => ({ w: Number(r.w), h: new Date(r.h).toISOString() })));
}

const unfinishedIn = (keys: string, workflow: SQL, hour: SQL) =>
  sql`exists (select 1 from jsonb_to_recordset(${keys}::jsonb) as b(w int, h timestamptz) where b.w = ${workflow} and b.h = ${hour})`;

/** A CTE deleting the keys of the `usage_gone` rows: llm_usage_keys holds the stored rows' keys. */
const keysOfGoneUsage = sql`usage_keys_gone as (
      delete from llm_usage_keys k using usage_gone g
      where k.client_id = g.client_id and k.idempotency_key = g.idempotency_key)`;

export interface Deleted {
  executions: number;
  usage: number;
}

/**
 * Deletes the usage of the `gone` non-production executions; see `retireRawWindow`.
 * Through llm_usage_execution_idx with an array of ids: a join to the CTE could be planned
 * as a scan of all usage.
 */
const usageOfGone = (clientId: number) => sql`usage_gone as (
    delete from llm_usage u
    where u.client_id = ${clientId}
      and u.n8n_execution_id = any (array(select n8n_execution_id from gone where not is_production))
    returning u.client_id, u.idempotency_key),
    ${keysOfGoneUsage},
    -- Coverage counts what was collected, retired rows included (lib/ingest/collect/coverage.ts).
    retired as (
      update clients set executions_retired = executions_retired + (select count(*) from gone)
      where id = ${clientId} and exists (select 1 from gone)
      returning 1)`;

/**
 * Deletes the client's executions that started in [from, to), whole hours older than the
 * raw horizon, in final hours only. Before they go, each hour bucket's execution measures
 * become its archive (replacing the old one, which the bucket already includes), so a
 * later recomputation, e.g. for a late row, adds to what was counted. Usage of deleted
 * non-production executions goes too: it is left out of the counts only while its
 * execution is stored (usage.ts), so it would start counting. Other usage is kept.
 */
export async function retireRawWindow(tx: Db, clientId: number, from: Date, to: Date): Promise<Deleted> {
  const blocked = await unfinishedKeys(tx, clientId, from, to);
  // Plan: one index range scan of the window's executions; the keys are few.
  await tx.execute(sql`insert into rollup_archive (client_id, workflow_id, granularity, bucket_start, ${MEASURE_COLUMNS})
    select r.client_id, r.workflow_id, 'hour', r.bucket_start, ${executionMeasuresSql("r")}
    from (select distinct workflow_id, date_trunc('hour', started_at) as hour from executions
      where client_id = ${clientId} and started_at >= ${ts(from)} and started_at < ${ts(to)}) k
    join rollups r on r.client_id = ${clientId} and r.granularity = 'hour' and r.bucket_start = k.hour
      and r.workflow_id = k.workflow_id
    where r.total > 0 and not ${queued(clientId, sql`k.workflow_id`, sql`k.hour`)}
      and not ${unfinishedIn(blocked, sql`k.workflow_id`, sql`k.hour`)}
    ${replaceArchiveSql()}`);
  const [row] = await queryRows<{ executions: number; usage: number }>(
    tx,
    sql`with gone as (
      delete from executions e
      where e.client_id = ${clientId} and e.started_at >= ${ts(from)} and e.started_at < ${ts(to)}
        and not ${queued(clientId, sql`e.workflow_id`, sql`date_trunc('hour', e.started_at)`)}
        and not ${unfinishedIn(blocked, sql`e.workflow_id`, sql`date_trunc('hour', e.started_at)`)}
      returning e.n8n_execution_id, e.is_production),
    ${usageOfGone(clientId)}
    select (select count(*) from gone)::int as executions, (select count(*) from usage_gone)::int as usage`,
  );
  return { executions: Number(row.executions), usage: Number(row.usage) };
}

/**
 * Retires a whole month partition of executions (lib/db/partitions.ts), older than the
 * raw horizon, when every hour in it is final: none of its hours queued, none of its rows
 * unfinished. Each hour bucket's execution measures become its archive, as retireRawWindow
 * does, and the partition is detached and dropped instead of deleted row by row. Returns
 * null, touching nothing, when an hour is not final yet: the row-by-row step then retires
 * what it can, and a later run the rest.
 *
 * Writes to executions are held off before anything is read (the transaction's snapshot
 * is taken after the lock), so a row written into the partition meanwhile can neither be
 * missed by the archive nor dropped with it. The parent is locked first, as writers lock
 * it (an update that cannot narrow by start locks every partition after the parent), and
 * in a mode readers pass; detaching then waits for the readers already running. Locks wait
 * at most LOCK_TIMEOUT: a busy month is left to the row-by-row step and the next run.
 */
export async function retirePartition(
  tx: Db,
  partition: { name: string; from: Date; to: Date },
): Promise<Deleted | null> {
  const p = sql.identifier(partition.name);
  await tx.execute(sql`set local lock_timeout = ${sql.raw(`'${LOCK_TIMEOUT}'`)}`);
  await tx.execute(sql`lock table executions in share row exclusive mode`);
  const [blocked] = await queryRows<{ queued: boolean; unfinished: boolean }>(
    tx,
    sql`select exists (select 1 from rollup_dirty_hours q
        where q.hour >= ${ts(partition.from)} and q.hour < ${ts(partition.to)}) as queued,
      exists (select 1 from ${p} where status in (${UNFINISHED})) as unfinished`,
  );
  if (blocked.queued || blocked.unfinished) return null;
  await tx.execute(sql`insert into rollup_archive (client_id, workflow_id, granularity, bucket_start, ${MEASURE_COLUMNS})
    select r.client_id, r.workflow_id, 'hour', r.bucket_start, ${executionMeasuresSql("r")}
    from (select distinct client_id, workflow_id, date_trunc('hour', started_at) as hour from ${p}) k
    join rollups r on r.client_id = k.client_id and r.granularity = 'hour' and r.bucket_start = k.hour
      and r.workflow_id = k.workflow_id
    where r.total > 0
    ${replaceArchiveSql()}`);
  const [row] = await queryRows<{ executions: number; usage: number }>(
    tx,
    sql`with retired as (
      update clients c set executions_retired = c.executions_retired + g.n
      from (select client_id, count(*) as n from ${p} group by client_id) g where c.id = g.client_id
      returning g.n),
    -- As in usageOfGone: usage of a non-production execution would start counting.
    usage_gone as (
      delete from llm_usage u using ${p} e
      where not e.is_production and u.client_id = e.client_id and u.n8n_execution_id = e.n8n_execution_id
      returning u.client_id, u.idempotency_key),
    ${keysOfGoneUsage}
    select coalesce((select sum(n) from retired), 0)::int as executions, (select count(*) from usage_gone)::int as usage`,
  );
  await tx.execute(sql`alter table executions detach partition ${p}`);
  await tx.execute(sql`drop table ${p}`);
  return { executions: Number(row.executions), usage: Number(row.usage) };
}

/** How long retirePartition waits for a lock before giving the month up for this run. */
export const LOCK_TIMEOUT = "5s";

/** Executions that never started have no bucket; first_seen_at dates them. One batch. */
export async function retireUnstarted(db: Db, clientId: number, cutoff: Date, limit: number): Promise<Deleted> {
  const [row] = await queryRows<{ executions: number; usage: number }>(
    db,
    sql`with gone as (
      delete from executions where client_id = ${clientId} and started_at is null and n8n_execution_id = any (array(
        select n8n_execution_id from executions
        where client_id = ${clientId} and started_at is null and first_seen_at < ${ts(cutoff)}
          and status not in (${UNFINISHED}) limit ${limit}))
      returning n8n_execution_id, is_production),
    ${usageOfGone(clientId)}
    select (select count(*) from gone)::int as executions, (select count(*) from usage_gone)::int as usage`,
  );
  return { executions: Number(row.executions), usage: Number(row.usage) };
}

/** Where a batch over rollup rows (in bucket_start, workflow_id order) resumes. */
export type BatchKey = { bucketStart: string; workflowId: number } | null;

export interface BatchResult {
  deleted: number;
  /** The last row picked, when the batch was full. */
  next: BatchKey;
}

const after = (key: BatchKey) =>
  key ? sql`(r.bucket_start, r.workflow_id) > (${key.bucketStart}::timestamptz, ${key.workflowId})` : sql`true`;

/**
 * Deletes up to `limit` rows of `granularity` that `eligible` (over alias `r`, with its
 * zone span as `z`) allows,
 * after `key`, with their own archive rows; `fold` (CTEs) reads the deleted rows as
 * `gone`. The keyset makes one pass over the old rows per run: rows kept are not
 * rescanned by the next batch.
 */
async function deleteRollupBatch(
  tx: Db,
  o: {
    clientId: number;
    granularity: Granularity;
    cutoff: Date;
    eligible: SQL;
    key: BatchKey;
    limit: number;
    fold?: SQL;
  },
): Promise<BatchResult> {
  const g = sql.raw(`'${o.granularity}'`);
  const [row] = await queryRows<{
    n: number;
    last_start: Date | string | null;
    last_workflow: number | null;
    starts: string[];
  }>(
    tx,
    sql`with picked as (
      select r.ctid as row_address, r.workflow_id, r.bucket_start from rollups r
      ${zoneSpanJoin(sql`r.client_id`, sql`r.bucket_start`)}
      where r.client_id = ${o.clientId} and r.granularity = ${g} and r.bucket_start < ${ts(o.cutoff)}
        and ${after(o.key)} and ${o.eligible}
      order by r.bucket_start, r.workflow_id limit ${o.limit}),
    -- By row address: joined to the CTE, whose size the planner cannot know, the delete
    -- may scan all of rollups once per picked row.
    gone as (delete from rollups r where r.ctid = any (array(select row_address from picked)) returning r.*),
    dropped as (
      delete from rollup_archive a using gone g
      where a.client_id = g.client_id and a.granularity = ${g} and a.bucket_start = g.bucket_start
        and a.workflow_id = g.workflow_id)${o.fold ? sql`, ${o.fold}` : sql``}
    select (select count(*) from gone)::int as n,
      (select bucket_start from picked order by bucket_start desc, workflow_id desc limit 1) as last_start,
      (select workflow_id from picked order by bucket_start desc, workflow_id desc limit 1) as last_workflow,
      (select coalesce(json_agg(distinct bucket_start), '[]') from picked) as starts`,
  );
  const deleted = Number(row.n);
  if (deleted > 0) {
    const starts = row.starts.map((s) => new Date(s).toISOString());
    await writeClientBuckets(
      tx,
      o.granularity,
      sql`select ${o.clientId}::int as client_id, unnest(${arrayParam(starts)}::timestamptz[]) as bucket_start`,
    );
  }
  const next =
    deleted >= o.limit && row.last_start !== null
      ? { bucketStart: new Date(row.last_start).toISOString(), workflowId: Number(row.last_workflow) }
      : null;
  return { deleted, next };
}

/** CTEs that add the `gone` rows to the archive of their `parent` bucket, and target it. */
function foldInto(name: string, parent: Granularity): SQL {
  const p = sql.raw(`'${parent}'`);
  const parents = sql.raw(`${name}_parents`);
  return sql`${parents} as (
      select r.*, ${bucketStartSql(parent, sql`r.bucket_start`)} as parent_start
      from gone r ${zoneSpanJoin(sql`r.client_id`, sql`r.bucket_start`)}),
    ${sql.raw(`${name}_archive`)} as (
      insert into rollup_archive (client_id, workflow_id, granularity, bucket_start, ${MEASURE_COLUMNS})
      select r.client_id, r.workflow_id, ${p}, r.parent_start, ${aggregatedMeasuresSql()}
      from ${parents} r group by r.client_id, r.workflow_id, r.parent_start
      ${addToArchiveSql()}),
    ${sql.raw(`${name}_target`)} as (
      insert into ${TARGETS} (granularity, client_id, workflow_id, bucket_start)
      select distinct ${p}, client_id, workflow_id, parent_start from ${parents})`;
}

/**
 * Recomputes the buckets the folds added to, levels `from` to `to`. Their values do not
 * change (a child moved into their archive), but writing them makes a refresh that
 * recomputes the same bucket meanwhile conflict, so one of the two retries and the
 * child is never counted both in a fresh row and in the archive.
 */
async function recomputeFolded(tx: Db, deleted: number, from: Granularity, to: Granularity): Promise<void> {
  if (deleted === 0) return;
  await analyzeTargets(tx);
  await computeUpward(tx, from, to);
}

/**
 * Hour rows older than the hourly horizon with nothing left to recount: no executions
 * (any class: a reclassification could count them) and no LLM usage in the hour, and
 * not queued. Each goes into its day's archive, and the day is recomputed: same value,
 * or caught up if a rebuild of hours only left it behind (its week and month then catch
 * up at their next recomputation). Hours with usage stay: usage is kept, and recounting
 * it into a fresh hour would count it twice.
 */
export async function retireHourBatch(tx: Db, clientId: number, cutoff: Date, key: BatchKey, limit: number) {
  await prepareTargets(tx);
  const inHour = (column: string) =>
    sql.raw(`${column} >= r.bucket_start and ${column} < r.bucket_start + interval '1 hour'`);
  const eligible = sql`${absent(sql`select 1 from executions e where e.client_id = ${clientId}
        and ${inHour("e.started_at")} and e.workflow_id = r.workflow_id`)}
      and ${absent(sql`select 1 from llm_usage u where u.client_id = ${clientId}
        and ${inHour("u.occurred_at")} and u.workflow_id = r.workflow_id`)}
      and not ${queued(clientId, sql`r.workflow_id`, sql`r.bucket_start`)}`;
  const result = await deleteRollupBatch(tx, {
    clientId,
    granularity: "hour",
    cutoff,
    eligible,
    key,
    limit,
    fold: foldInto("day", "day"),
  });
  await recomputeFolded(tx, result.deleted, "day", "day");
  return result;
}

/**
 * Day rows older than the daily horizon whose hours are all folded in already (no hour
 * row left, none queued): each goes into its week's and its month's archive, and both
 * are recomputed.
 */
export async function retireDayBatch(tx: Db, clientId: number, cutoff: Date, key: BatchKey, limit: number) {
  await prepareTargets(tx);
  const end = bucketEndSql("day", sql`r.bucket_start`);
  const eligible = sql`${absent(sql`select 1 from rollups h where h.workflow_id = r.workflow_id
        and h.granularity = 'hour' and h.bucket_start >= r.bucket_start
        and h.bucket_start < ${end} and h.client_id = ${clientId}`)}
      and not ${queued(clientId, sql`r.workflow_id`, sql`r.bucket_start`, end)}`;
  const fold = sql`${foldInto("week", "week")}, ${foldInto("month", "month")}`;
  const result = await deleteRollupBatch(tx, { clientId, granularity: "day", cutoff, eligible, key, limit, fold });
  await recomputeFolded(tx, result.deleted, "week", "month");
  return result;
}

/**
 * Week rows older than the weekly horizon, with their archive: nothing is computed from
 * weeks. Only once no day row is left in the week, or recomputing one of those days
 * later would bring the week back holding that day alone.
 */
export function retireWeekBatch(tx: Db, clientId: number, cutoff: Date, key: BatchKey, limit: number) {
  const eligible = absent(sql`select 1 from rollups d where d.workflow_id = r.workflow_id
      and d.granularity = 'day' and d.bucket_start >= r.bucket_start
      and d.bucket_start < ${bucketEndSql("week", sql`r.bucket_start`)} and d.client_id = ${clientId}`);
  return deleteRollupBatch(tx, { clientId, granularity: "week", cutoff, eligible, key, limit });
}
