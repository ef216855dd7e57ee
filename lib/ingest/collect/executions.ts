import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/lib/db/database";
import { arrayParam, sqlLiterals } from "@/lib/db/sql-literals";
import { type NewExecution } from "@/lib/db/schema";
import { FINAL_STATUSES, UNFINISHED_STATUSES, type ExecutionStatus } from "@/lib/core/vocabulary";
import type { Classification } from "@/lib/ingest/classify";
import type { N8nExecution } from "@/lib/n8n";

export const isFinal = (status: string) => (FINAL_STATUSES as readonly string[]).includes(status);

/**
 * `needsLlmUsage`: the workflow has chat-model nodes, so the row is stored unmarked
 * (llm_extracted_at null) for the LLM usage extraction; other rows are stored marked.
 */
export function toExecutionRow(
  e: N8nExecution,
  ctx: { clientId: number; workflowId: number; needsLlmUsage: boolean },
  classification: Classification,
): NewExecution {
  const status = e.status as ExecutionStatus;
  // A waiting execution already has a stoppedAt; its duration is final only when it finishes.
  const durationMs =
    isFinal(status) && e.startedAt && e.stoppedAt ? Math.max(0, e.stoppedAt.getTime() - e.startedAt.getTime()) : null;
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
    llmExtractedAt: ctx.needsLlmUsage ? null : new Date(),
  };
}

const FINAL_SQL = sqlLiterals(FINAL_STATUSES);
const UNFINISHED_SQL = sqlLiterals(UNFINISHED_STATUSES);

/** Column order of the batch payload; the SQL below names the same columns. */
const toPayload = (r: NewExecution) => [
  r.clientId,
  r.workflowId,
  r.n8nExecutionId,
  r.status,
  r.mode,
  r.finished ?? false,
  r.startedAt ?? null,
  r.stoppedAt ?? null,
  r.waitTill ?? null,
  r.durationMs ?? null,
  r.retryOf ?? null,
  r.isProduction,
  r.exclusionReason ?? null,
  // Only whether it is set travels: the database stamps its own now().
  r.llmExtractedAt ? true : false,
];

/** Gives stored unfinished executions of `rows` the start `rows` hold (see upsertExecutions). */
async function moveChangedStarts(db: Db, rows: NewExecution[]): Promise<Set<string>> {
  const payload = JSON.stringify(rows.map((r) => [r.clientId, r.n8nExecutionId, r.startedAt ?? null]));
  const clientIds = [...new Set(rows.map((r) => r.clientId))];
  const moved = await queryRows<{ client_id: number; id: number | string }>(
    db,
    sql`update executions e set started_at = (r->>2)::timestamptz, updated_at = clock_timestamp()
    from jsonb_array_elements(${payload}::jsonb) as r
    where e.client_id = any (${arrayParam(clientIds)}::int[]) and e.status in (${UNFINISHED_SQL})
      and e.client_id = (r->>0)::int
      and e.n8n_execution_id = (r->>1)::bigint and e.started_at is distinct from (r->>2)::timestamptz
    returning e.client_id, e.n8n_execution_id as id`,
  );
  return new Set(moved.map((m) => `${m.client_id}/${m.id}`));
}

/**
 * Idempotent batch upsert. A row is rewritten only when something n8n reports changed,
 * so a re-sync of unchanged data writes nothing and leaves the rollups alone; a changed
 * row's old and new hours are queued for rollup by the database (drizzle/0005 triggers).
 *
 * LLM extraction marker: set on insert unless the row needs its usage read. An execution
 * that needs it and turns final is unmarked again, so its finished run data is read (a
 * waiting one may have been read already); otherwise an update keeps the stored marker.
 *
 * The batch travels as one JSON parameter expanded by the database: a 250-row page
 * as 3,750 bound parameters cost several times more on both drivers.
 *
 * An execution's key holds its start (the partition key, lib/db/schema/executions.ts), so
 * a stored row whose start n8n changed is first moved to it: an execution that had not
 * started, or a waiting one n8n resumed (n8n stamps a new start). Only rows stored
 * unfinished can change so. `storedUnfinished`, when the caller knows them (a sync does),
 * spares the statement for the pages that hold none: it cost a sync 1.5 s in 206k rows.
 */
export async function upsertExecutions(
  db: Db,
  rows: NewExecution[],
  storedUnfinished?: (row: NewExecution) => boolean,
): Promise<{ inserted: number; updated: number }> {
  if (rows.length === 0) return { inserted: 0, updated: 0 };
  const movable = storedUnfinished ? rows.filter(storedUnfinished) : rows;
  const changed = movable.length > 0 ? await moveChangedStarts(db, movable) : new Set<string>();
  const payload = JSON.stringify(rows.map(toPayload));
  const result = await queryRows<{ client_id: number; id: number | string; inserted: boolean }>(
    db,
    sql`insert into executions as e (client_id, workflow_id, n8n_execution_id, status, mode, finished,
        started_at, stopped_at, wait_till, duration_ms, retry_of, is_production, exclusion_reason,
        llm_extracted_at)
      select (r->>0)::int, (r->>1)::int, (r->>2)::bigint, r->>3, r->>4, (r->>5)::boolean,
        (r->>6)::timestamptz, (r->>7)::timestamptz, (r->>8)::timestamptz, (r->>9)::int, (r->>10)::bigint,
        (r->>11)::boolean, r->>12, case when (r->>13)::boolean then now() end
      from jsonb_array_elements(${payload}::jsonb) as r
      on conflict (client_id, n8n_execution_id, started_at) do update set
        workflow_id = excluded.workflow_id, status = excluded.status, mode = excluded.mode,
        finished = excluded.finished, started_at = excluded.started_at, stopped_at = excluded.stopped_at,
        wait_till = excluded.wait_till, duration_ms = excluded.duration_ms, retry_of = excluded.retry_of,
        is_production = excluded.is_production, exclusion_reason = excluded.exclusion_reason,
        -- The clock, not the transaction's start: an updated row's updated_at then differs
        -- from its first_seen_at, which tells it from an inserted one (RETURNING cannot
        -- read xmax through a partitioned table).
        updated_at = clock_timestamp(),
        llm_extracted_at = case
          when excluded.llm_extracted_at is null and excluded.status in (${FINAL_SQL})
            and e.status not in (${FINAL_SQL}) then null
          else e.llm_extracted_at end
      where (e.workflow_id, e.status, e.mode, e.started_at, e.stopped_at, e.wait_till, e.duration_ms,
          e.is_production, e.exclusion_reason)
        is distinct from
          (excluded.workflow_id, excluded.status, excluded.mode, excluded.started_at, excluded.stopped_at,
          excluded.wait_till, excluded.duration_ms, excluded.is_production, excluded.exclusion_reason)
      returning e.client_id, e.n8n_execution_id as id, (e.updated_at = e.first_seen_at) as inserted`,
  );
  const inserted = result.filter((r) => r.inserted).length;
  // A moved row is updated, whether or not the upsert then changed it again.
  for (const r of result) if (!r.inserted) changed.add(`${r.client_id}/${r.id}`);
  return { inserted, updated: changed.size };
}
