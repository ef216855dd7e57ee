/**
 * Client-level buckets (client_rollups): each is the sum of the client's per-workflow rows
 * of the same granularity and start, by the one merge rule (merge.ts). Whatever writes or
 * deletes per-workflow rows rewrites the client rows of the same keys in its transaction,
 * so a client row always equals the sum of its workflow rows.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "@/lib/db/database";
import type { Granularity } from "@/lib/core/vocabulary";
import { granularitySql } from "./buckets";
import { aggregatedMeasuresSql, histogramOfRowsSql, MEASURE_COLUMNS, replaceMeasuresSql } from "./merge";

/**
 * Rewrites the client rows of `granularity` at `keys` (a query yielding client_id,
 * bucket_start): the sum of the per-workflow rows at each key, or no row where none is left.
 * One index range scan of rollups per key.
 */
export async function writeClientBuckets(db: Db, granularity: Granularity, keys: SQL): Promise<void> {
  const g = granularitySql(granularity);
  await db.execute(sql`with keys as (select distinct client_id, bucket_start from (${keys}) k),
    computed as (
      select k.client_id, k.bucket_start, m.*
      from keys k cross join lateral (
        select count(*) as n, ${aggregatedMeasuresSql(
          histogramOfRowsSql(
            sql`rollups`,
            sql`h.client_id = k.client_id and h.granularity = ${g} and h.bucket_start = k.bucket_start`,
          ),
        )}
        from rollups r
        where r.client_id = k.client_id and r.granularity = ${g} and r.bucket_start = k.bucket_start) m
      where m.n > 0),
    upserted as (
      insert into client_rollups (client_id, granularity, bucket_start, ${MEASURE_COLUMNS}, computed_at)
      select client_id, ${g}, bucket_start, ${MEASURE_COLUMNS}, now() from computed
      on conflict (client_id, granularity, bucket_start) do update set ${replaceMeasuresSql()}, computed_at = now()
      returning 1),
    gone as (
      select client_id, bucket_start from keys except select client_id, bucket_start from computed)
    -- By row address, each found through the primary key: joined to \`gone\`, the delete
    -- became a hash join over a scan of all client rows.
    delete from client_rollups c where c.ctid = any (array(
      select x.ctid from gone cross join lateral (
        select c2.ctid from client_rollups c2
        where c2.client_id = gone.client_id and c2.granularity = ${g} and c2.bucket_start = gone.bucket_start) x))`);
}
