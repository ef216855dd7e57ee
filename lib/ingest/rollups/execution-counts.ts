import { sql, type SQL } from "drizzle-orm";
import { sqlLiterals } from "@/lib/db/sql-literals";
import { FINAL_STATUSES } from "@/lib/core/vocabulary";

/**
 * Select list of what a bucket counts of a group of executions (alias `e`, joined to
 * their workflow `w` and client `c`): total and per status, durations, minutes saved.
 * One definition for the hour buckets' raw twins: live answers and the raw edges of a
 * decomposed range (lib/metrics), so they count as the buckets do.
 */
export function executionCountsSql(): SQL {
  return sql`count(*) as total,
    count(*) filter (where e.status = 'success') as success,
    count(*) filter (where e.status = 'error') as error,
    count(*) filter (where e.status = 'crashed') as crashed,
    count(*) filter (where e.status = 'canceled') as canceled,
    count(*) filter (where e.status not in (${sqlLiterals(FINAL_STATUSES)})) as other,
    count(e.duration_ms) as duration_count, coalesce(sum(e.duration_ms), 0)::float8 as duration_sum_ms,
    min(e.duration_ms) as duration_min_ms, max(e.duration_ms) as duration_max_ms,
    coalesce(sum(coalesce(w.minutes_saved_per_execution, c.default_minutes_saved))
      filter (where e.status = 'success'), 0)::float8 as minutes_saved`;
}
