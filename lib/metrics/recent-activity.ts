import { isoTime, isoTimeOrNull, num, numOrNull, ts } from "@/lib/db/database";
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/lib/db/database";
import { assertClientExists } from "@/lib/clients/queries";
import type { ExecutionStatus } from "@/lib/core/vocabulary";
import { microToUsd } from "./totals";
import type { RecentActivityResponse } from "./types";

export interface RecentActivityParams {
  clientId: number;
  /** 1..100; default 10. */
  limit?: number;
}

interface ActivityRow {
  n8n_execution_id: unknown;
  workflow_id: number;
  workflow_name: string;
  status: ExecutionStatus;
  mode: string;
  started_at: Date | string;
  stopped_at: Date | string | null;
  duration_ms: unknown;
  error_message: string | null;
  error_node: string | null;
}

/**
 * GET /api/v1/metrics/recent-activity: the newest production executions, with their LLM
 * tokens and cost. Live from raw executions (not cached): it is the "what just happened"
 * list, and reads the newest rows of executions_client_started_idx.
 */
export async function getRecentActivity(db: Db, q: RecentActivityParams): Promise<RecentActivityResponse> {
  await assertClientExists(db, q.clientId);
  const limit = Math.min(Math.max(Math.trunc(q.limit ?? 10), 1), 100);
  const rows = await queryRows<ActivityRow>(
    db,
    sql`select e.n8n_execution_id, e.workflow_id, w.name as workflow_name, e.status, e.mode, e.started_at,
        e.stopped_at, e.duration_ms, e.error_message, e.error_node
      from executions e join workflows w on w.id = e.workflow_id
      where e.client_id = ${q.clientId} and e.is_production and e.started_at is not null
      order by e.started_at desc, e.id desc limit ${limit}`,
  );
  const usage = new Map<number, { tokens: number; cost: number | null }>();
  if (rows.length > 0) {
    const ids = rows.map((r) => num(r.n8n_execution_id));
    const since = rows.reduce((min, r) => Math.min(min, new Date(r.started_at).getTime()), Infinity);
    // Usage occurs during its execution, so the time bound lets llm_usage_client_time_idx serve it.
    const found = await queryRows<{ id: unknown; tokens: unknown; cost: unknown }>(
      db,
      sql`select n8n_execution_id as id, sum(total_tokens)::float8 as tokens, sum(cost_micro_usd)::float8 as cost
        from llm_usage
        where client_id = ${q.clientId} and occurred_at >= ${ts(new Date(since))}
          and n8n_execution_id in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::bigint)
        group by 1`,
    );
    for (const u of found) usage.set(num(u.id), { tokens: num(u.tokens), cost: numOrNull(u.cost) });
  }
  return {
    clientId: q.clientId,
    items: rows.map((r) => {
      const executionId = num(r.n8n_execution_id);
      const u = usage.get(executionId);
      return {
        executionId,
        workflowId: r.workflow_id,
        workflowName: r.workflow_name,
        status: r.status,
        mode: r.mode,
        startedAt: isoTime(r.started_at),
        stoppedAt: isoTimeOrNull(r.stopped_at),
        durationMs: numOrNull(r.duration_ms),
        errorMessage: r.error_message,
        errorNode: r.error_node,
        llmTokens: u?.tokens ?? 0,
        costUsd: u?.cost == null ? null : microToUsd(u.cost),
      };
    }),
  };
}
