import { sql } from "drizzle-orm";
import type { Db } from "@/lib/db/database";

const RETRYABLE_CODES = ["40001", "40P01"];

/** Whether a database error with one of these SQLSTATEs is anywhere in `err`'s cause chain. */
export function hasSqlState(err: unknown, codes: readonly string[]): boolean {
  // drizzle wraps driver errors; the SQLSTATE sits on the cause.
  for (let e: unknown = err; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    if (codes.includes(String((e as { code?: unknown }).code))) return true;
  }
  return false;
}

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
