import { sql, type SQL } from "drizzle-orm";

/**
 * Whether an llm_usage row counts in rollups and usage metrics. Rollups count production
 * executions only, and so usage tied to a stored non-production execution (a manual or
 * test run) does not count either; usage without an execution (ingested) counts. Kept as
 * a condition, not a stored flag, so reclassifying an execution re-decides its usage.
 */
export function countedUsage(alias: SQL): SQL {
  return sql`not exists (select 1 from executions x where x.client_id = ${alias}.client_id
    and x.n8n_execution_id = ${alias}.n8n_execution_id and not x.is_production)`;
}
