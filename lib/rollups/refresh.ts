import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { sourceCutoffs } from "./buckets";
import {
  addTargets,
  computeHourBuckets,
  computeParentBuckets,
  inRollupTransaction,
  parentsOfTargets,
  prepareTargets,
} from "./compute";

export interface RefreshResult {
  hourBuckets: number;
  dayBuckets: number;
  weekBuckets: number;
  monthBuckets: number;
  executionsMarked: number;
  /** LLM usage rows marked rolled up; present only when there were any. */
  usageMarked?: number;
}

/**
 * Recomputes every bucket touched by the client's executions or LLM usage with
 * rolled_up_at null: their (workflow, hour) buckets from raw rows, then the days, weeks
 * and months holding those hours, then marks both rolled up. Usage of a dirty execution
 * is a target too: a reclassified execution moves its usage in or out of the counts,
 * and that usage may sit in the next hour. Counts are buckets written or deleted per
 * level.
 *
 * All of it is one REPEATABLE READ transaction, so the rows marked are exactly the rows
 * the buckets were computed from; a row changed meanwhile aborts and retries the refresh,
 * one inserted meanwhile stays unmarked for the next refresh. Because days, weeks and
 * months are recomputed in the same transaction as their hours, an hour row is always
 * already counted in its day when retention deletes it.
 *
 * Buckets older than their sources' retention that already exist are frozen (see
 * `addTargets`); executions in them are still marked, as recounting them is impossible.
 */
export async function refreshRollups(db: Db, opts: { clientId: number }): Promise<RefreshResult> {
  const { clientId } = opts;
  return inRollupTransaction(db, async (tx) => {
    const result: RefreshResult = { hourBuckets: 0, dayBuckets: 0, weekBuckets: 0, monthBuckets: 0, executionsMarked: 0 };
    const [dirty] = await queryRows<{ any: boolean }>(
      tx,
      sql`select exists (select 1 from executions where client_id = ${clientId} and rolled_up_at is null)
        or exists (select 1 from llm_usage where client_id = ${clientId} and rolled_up_at is null) as any`,
    );
    if (!dirty.any) return result;

    const cutoffs = sourceCutoffs(new Date(), {
      rawDays: env.RETENTION_RAW_DAYS,
      hourlyDays: env.RETENTION_HOURLY_DAYS,
      dailyDays: env.RETENTION_DAILY_DAYS,
    });
    await prepareTargets(tx);
    await addTargets(
      tx,
      "hour",
      sql`select client_id, workflow_id, date_trunc('hour', started_at) as bucket_start from executions
        where client_id = ${clientId} and rolled_up_at is null and started_at is not null
      union all
      select client_id, workflow_id, date_trunc('hour', occurred_at) from llm_usage
        where client_id = ${clientId} and rolled_up_at is null and workflow_id is not null
      union all
      select u.client_id, u.workflow_id, date_trunc('hour', u.occurred_at) from executions e
        join llm_usage u on u.client_id = e.client_id and u.n8n_execution_id = e.n8n_execution_id
        where e.client_id = ${clientId} and e.rolled_up_at is null and u.workflow_id is not null`,
      cutoffs.hour,
    );
    const hour = await computeHourBuckets(tx);
    result.hourBuckets = hour.written + hour.deleted;
    for (const granularity of ["day", "week", "month"] as const) {
      await addTargets(tx, granularity, parentsOfTargets(granularity), cutoffs[granularity]);
      const counts = await computeParentBuckets(tx, granularity);
      result[`${granularity}Buckets`] = counts.written + counts.deleted;
    }

    // Same snapshot as the computation: rows that arrived since are not visible here.
    const [marked] = await queryRows<{ n: number }>(
      tx,
      sql`with marked as (
        update executions set rolled_up_at = now()
        where client_id = ${clientId} and rolled_up_at is null returning 1)
      select count(*)::int as n from marked`,
    );
    result.executionsMarked = Number(marked.n);
    // Usage without a workflow has no bucket, but is marked too so the dirty set stays small.
    const [usage] = await queryRows<{ n: number }>(
      tx,
      sql`with marked as (
        update llm_usage set rolled_up_at = now()
        where client_id = ${clientId} and rolled_up_at is null returning 1)
      select count(*)::int as n from marked`,
    );
    if (Number(usage.n) > 0) result.usageMarked = Number(usage.n);
    return result;
  });
}
