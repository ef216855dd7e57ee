import { sql } from "drizzle-orm";
import type { Db } from "./database";
import { arrayParam } from "./sql-literals";

/**
 * Marks clients' data as changed outside a recorded run (LLM usage posted to the API), so
 * cached metrics answers of those clients are recomputed. The same per-client counters
 * that the trigger on sync_runs bumps whenever a run finishes (drizzle/0010), read by
 * lib/metrics/cache.ts.
 */
export async function bumpDataVersions(db: Db, clientIds: readonly number[]): Promise<void> {
  const ids = [...new Set(clientIds)].filter(Number.isInteger);
  if (ids.length === 0) return;
  await db.execute(sql`insert into data_versions (scope, version)
    select unnest(${arrayParam(ids)}::int[]), 1
    on conflict (scope) do update set version = data_versions.version + 1`);
}
