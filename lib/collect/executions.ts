import { sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { executions, FINAL_STATUSES, type ExecutionStatus, type NewExecution } from "@/lib/db/schema";
import type { Classification } from "@/lib/classify";
import type { N8nExecution } from "@/lib/n8n";

/** Statuses n8n may still change; such rows are re-read on every sync until they finish. */
export const UNFINISHED_STATUSES = ["running", "waiting", "new"] as const satisfies ExecutionStatus[];

export const isFinal = (status: string) => (FINAL_STATUSES as readonly string[]).includes(status);

/** The failing node and message, where n8n includes run data (only with includeData). */
function errorOf(data: unknown): { message: string | null; node: string | null } {
  const error = (data as { resultData?: { error?: { message?: unknown; node?: { name?: unknown } } } } | undefined)
    ?.resultData?.error;
  return {
    message: typeof error?.message === "string" ? error.message.slice(0, 2000) : null,
    node: typeof error?.node?.name === "string" ? error.node.name : null,
  };
}

export function toExecutionRow(
  e: N8nExecution,
  ctx: { clientId: number; workflowId: number },
  classification: Classification,
): NewExecution {
  const status = e.status as ExecutionStatus;
  // A waiting execution already has a stoppedAt; its duration is final only when it finishes.
  const durationMs =
    isFinal(status) && e.startedAt && e.stoppedAt
      ? Math.max(0, e.stoppedAt.getTime() - e.startedAt.getTime())
      : null;
  const error = errorOf(e.data);
  return {
    clientId: ctx.clientId,
    workflowId: ctx.workflowId,
    n8nExecutionId: Number(e.id),
    status,
    mode: e.mode,
    finished: e.finished,
    startedAt: e.startedAt,
    stoppedAt: e.stoppedAt,
    waitTill: e.waitTill,
    durationMs,
    retryOf: e.retryOf ? Number(e.retryOf) : null,
    isProduction: classification.isProduction,
    exclusionReason: classification.exclusionReason,
    errorMessage: error.message,
    errorNode: error.node,
  };
}

/**
 * Idempotent batch upsert. A row is rewritten only when something n8n reports changed,
 * so a re-sync of unchanged data writes nothing and leaves the rollups alone; a changed
 * row is marked for rollup again.
 */
export async function upsertExecutions(db: Db, rows: NewExecution[]): Promise<{ inserted: number; updated: number }> {
  if (rows.length === 0) return { inserted: 0, updated: 0 };
  const result = await db
    .insert(executions)
    .values(rows)
    .onConflictDoUpdate({
      target: [executions.clientId, executions.n8nExecutionId],
      set: {
        workflowId: sql`excluded.workflow_id`,
        status: sql`excluded.status`,
        mode: sql`excluded.mode`,
        finished: sql`excluded.finished`,
        startedAt: sql`excluded.started_at`,
        stoppedAt: sql`excluded.stopped_at`,
        waitTill: sql`excluded.wait_till`,
        durationMs: sql`excluded.duration_ms`,
        retryOf: sql`excluded.retry_of`,
        isProduction: sql`excluded.is_production`,
        exclusionReason: sql`excluded.exclusion_reason`,
        // Run data is fetched only for some executions; do not erase what an earlier read found.
        errorMessage: sql`coalesce(excluded.error_message, ${executions.errorMessage})`,
        errorNode: sql`coalesce(excluded.error_node, ${executions.errorNode})`,
        updatedAt: sql`now()`,
        rolledUpAt: null,
      },
      setWhere: sql`(${executions.workflowId}, ${executions.status}, ${executions.mode}, ${executions.startedAt},
        ${executions.stoppedAt}, ${executions.waitTill}, ${executions.durationMs}, ${executions.isProduction},
        ${executions.exclusionReason})
        is distinct from
        (excluded.workflow_id, excluded.status, excluded.mode, excluded.started_at, excluded.stopped_at,
        excluded.wait_till, excluded.duration_ms, excluded.is_production, excluded.exclusion_reason)
        or (excluded.error_message is not null and ${executions.errorMessage} is null)`,
    })
    .returning({ inserted: sql<boolean>`(xmax = 0)` });
  const inserted = result.filter((r) => r.inserted).length;
  return { inserted, updated: result.length - inserted };
}
