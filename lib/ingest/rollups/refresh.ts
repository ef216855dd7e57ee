import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/lib/db/database";
import { forEachPooled } from "@/lib/core/pool";
import { computeUpward } from "./compute";
import { addTargets, prepareTargets } from "./targets";
import { inRollupTransaction } from "./transaction";

export interface RefreshResult {
  hourBuckets: number;
  dayBuckets: number;
  weekBuckets: number;
  monthBuckets: number;
  /** (workflow, hour) keys taken off the dirty-bucket queue. */
  keysDrained: number;
}

/**
 * Drains the client's dirty-bucket queue (rollup_dirty_hours, filled by triggers on every
 * write that can change a bucket, old keys as well as new): recomputes exactly those
 * (workflow, hour) buckets from their archive and raw rows, then the days, weeks and months
 * above them. Counts are buckets written or deleted per level.
 *
 * One REPEATABLE READ transaction deletes the keys and computes from the same snapshot, so
 * a key leaves the queue only with its bucket counting what the snapshot holds. A write
 * committed meanwhile either re-enqueues a key this refresh deletes (its enqueued_at bump
 * makes the delete fail to serialize, and the refresh retries) or adds a key this snapshot
 * cannot see, left for the next refresh. Because days, weeks and months are recomputed in
 * the same transaction as their hours, a key that is not queued means its hour and every
 * bucket above it count exactly its rows: what retention relies on.
 */
export async function refreshRollups(db: Db, opts: { clientId: number }): Promise<RefreshResult> {
  const { clientId } = opts;
  const none: RefreshResult = { hourBuckets: 0, dayBuckets: 0, weekBuckets: 0, monthBuckets: 0, keysDrained: 0 };
  return inRollupTransaction(db, async (tx) => {
    // Most syncs of a quiet client queue nothing: skip the temp table.
    const [queued] = await queryRows<{ any: boolean }>(
      tx,
      sql`select exists (select 1 from rollup_dirty_hours where client_id = ${clientId}) as any`,
    );
    if (!queued.any) return none;
    await prepareTargets(tx);
    const keysDrained = await addTargets(
      tx,
      "hour",
      sql`delete from rollup_dirty_hours where client_id = ${clientId}
        returning client_id, workflow_id, hour as bucket_start`,
    );
    if (keysDrained === 0) return none;
    const counts = await computeUpward(tx, "hour");
    return {
      hourBuckets: counts.hour,
      dayBuckets: counts.day,
      weekBuckets: counts.week,
      monthBuckets: counts.month,
      keysDrained,
    };
  });
}

/** Clients with keys on the dirty-bucket queue: what a scheduled rollup must refresh. */
export async function pendingRollupClients(db: Db): Promise<number[]> {
  const rows = await queryRows<{ client_id: number }>(
    db,
    sql`select distinct client_id from rollup_dirty_hours order by 1`,
  );
  return rows.map((r) => Number(r.client_id));
}

/**
 * Clients refreshed at once by `refreshClients`. Each refresh is one transaction that
 * keeps a database core busy and touches only its client's rows, so two side by side
 * roughly halve a many-client drain (after a backfill, a reclassification, the first
 * rollup of an upgrade) on a server with two cores or more; PGlite runs them in turn.
 */
export const ROLLUP_CONCURRENCY = 2;

/** Refreshes every client of `clientIds` (refreshRollups), ROLLUP_CONCURRENCY at a time; the counts summed. */
export async function refreshClients(db: Db, clientIds: readonly number[]): Promise<RefreshResult> {
  const total: RefreshResult = { hourBuckets: 0, dayBuckets: 0, weekBuckets: 0, monthBuckets: 0, keysDrained: 0 };
  await forEachPooled(clientIds, ROLLUP_CONCURRENCY, async (clientId) => {
    const r = await refreshRollups(db, { clientId });
    for (const key of Object.keys(total) as Array<keyof RefreshResult>) total[key] += r[key];
  });
  return total;
}
