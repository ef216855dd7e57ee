import { sql, type AnyColumn, type SQL } from "drizzle-orm";

/**
 * When a client's data was last brought up to date: the finish of its newest successful
 * sync, by finish time. The one definition of "last sync" (freshness on the dashboards,
 * the operator overview, health and the client list); served by
 * sync_runs_client_finished_idx. `clientId`: a number, or a column such as `c.id`.
 */
export function lastSyncAtSql(clientId: SQL | AnyColumn | number): SQL {
  return sql`(select max(s.finished_at) from sync_runs s
    where s.client_id = ${clientId} and s.function = 'sync-client' and s.status = 'success')`;
}
