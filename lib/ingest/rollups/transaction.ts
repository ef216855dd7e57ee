import { sql } from "drizzle-orm";
import type { Db } from "@/lib/db/database";
import { hasSqlState } from "@/lib/db/sql-state";

const RETRYABLE_CODES = ["40001", "40P01"];

/**
 * Runs rollup work in one REPEATABLE READ transaction: every statement sees the same
 * snapshot, so the queue keys drained are exactly the ones whose buckets were computed
 * from it. A key re-enqueued meanwhile (its enqueued_at bumped), or a bucket or archive
 * row another refresh or retention wrote meanwhile, aborts with a serialization failure;
 * we retry. Inside a caller's transaction this becomes a savepoint under its isolation.
 */
export async function inRollupTransaction<T>(db: Db, work: (tx: Db) => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(
        async (tx) => {
          // Sorts and aggregates over millions of rows spill to disk with the 4MB default.
          await tx.execute(sql`set local work_mem = '64MB'`);
          return work(tx as unknown as Db);
        },
        { isolationLevel: "repeatable read" },
      );
    } catch (err) {
      if (attempt >= attempts || !hasSqlState(err, RETRYABLE_CODES)) throw err;
    }
  }
}
