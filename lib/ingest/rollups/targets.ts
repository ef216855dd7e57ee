/**
 * The buckets a rollup transaction recomputes, collected first in a transaction-local temp
 * table, so the computation is one set-based statement per level (compute.ts).
 */
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Db } from "@/lib/db/database";
import type { Granularity } from "@/lib/core/vocabulary";
import { bucketStartSql, CHILD_GRANULARITY, granularitySql, zoneSpanJoin } from "./buckets";

/** (granularity, client_id, workflow_id, bucket_start); dropped at commit. */
export const TARGETS = sql.raw("flowscope_rollup_targets");

/** Creates (or empties, when a caller's transaction already made it) the target table. */
export async function prepareTargets(db: Db): Promise<void> {
  await db.execute(sql`create temp table if not exists ${TARGETS} (
    granularity text not null, client_id integer not null, workflow_id integer not null,
    bucket_start timestamptz not null) on commit drop`);
  await db.execute(sql`delete from ${TARGETS}`);
}

/** Without statistics the planner guesses the temp table's size badly. */
export async function analyzeTargets(db: Db): Promise<void> {
  await db.execute(sql`analyze ${TARGETS}`);
}

/**
 * Adds candidate buckets as targets of `granularity`. `candidates` yields (client_id,
 * workflow_id, bucket_start); it becomes a CTE, so it may be a data-modifying statement
 * with RETURNING (refresh drains the queue that way). Returns the number of targets added.
 */
export async function addTargets(db: Db, granularity: Granularity, candidates: SQL): Promise<number> {
  const g = granularitySql(granularity);
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`with candidates as (${candidates}),
    added as (
      insert into ${TARGETS} (granularity, client_id, workflow_id, bucket_start)
      select ${g}, client_id, workflow_id, bucket_start from (
        select client_id, workflow_id, bucket_start from candidates
        -- A target twice would count its sources twice.
        except select client_id, workflow_id, bucket_start from ${TARGETS} where granularity = ${g}) c
      returning 1)
    select count(*)::int as n from added`,
  );
  await analyzeTargets(db);
  return Number(row.n);
}

/** Candidates for a parent level: the parents of the child level's targets. */
export function parentsOfTargets(granularity: Exclude<Granularity, "hour">): SQL {
  const child = granularitySql(CHILD_GRANULARITY[granularity]);
  return sql`select distinct t.client_id, t.workflow_id, ${bucketStartSql(granularity, sql`t.bucket_start`)} as bucket_start
    from ${TARGETS} t ${zoneSpanJoin(sql`t.client_id`, sql`t.bucket_start`)} where t.granularity = ${child}`;
}
