import { and, eq, sql } from "drizzle-orm";
import { queryRows, type Db } from "@/lib/db/database";
import { llmUsage } from "@/lib/db/schema";
import { type LlmCostSource } from "@/lib/core/vocabulary";

/** One llm_usage row to store, from extraction (source n8n) or the ingest API. */
export interface UsageRow {
  clientId: number;
  workflowId: number | null;
  n8nExecutionId: number | null;
  nodeName: string | null;
  provider: string | null;
  model: string;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  isEstimate: boolean;
  costMicroUsd: number | null;
  costSource: LlmCostSource;
  reason: string | null;
  source: "n8n" | "ingest";
  idempotencyKey: string;
  occurredAt: Date;
}

/** Column order of the batch payload; the SQL below names the same columns. */
const toPayload = (r: UsageRow) => [
  r.clientId,
  r.workflowId,
  r.n8nExecutionId,
  r.nodeName,
  r.provider,
  r.model,
  r.promptTokens,
  r.completionTokens,
  r.totalTokens,
  r.isEstimate,
  r.costMicroUsd,
  r.costSource,
  r.reason,
  r.source,
  r.idempotencyKey,
  r.occurredAt.toISOString(),
];

/**
 * Inserts usage rows in one statement (so a batch is stored whole or not at all), skipping
 * those whose (client, idempotency key) is already stored: a retried event or a
 * re-extracted node run is counted once. A key is new when its insert into llm_usage_keys
 * goes through (a concurrent insert of the same key waits, then skips it); only the rows
 * of new keys are stored, the first of a batch's duplicates. The trigger on llm_usage
 * queues the new rows' hours for the next rollup refresh. The batch travels as one JSON
 * parameter, as executions do.
 */
export async function insertUsage(
  db: Db,
  rows: readonly UsageRow[],
): Promise<{ inserted: number; duplicates: number }> {
  if (rows.length === 0) return { inserted: 0, duplicates: 0 };
  const payload = JSON.stringify(rows.map(toPayload));
  const [result] = await queryRows<{ n: number }>(
    db,
    sql`with batch as (
      select distinct on (r->>0, r->>14) r, i from jsonb_array_elements(${payload}::jsonb) with ordinality as x(r, i)
      order by r->>0, r->>14, i),
    new_keys as (
      insert into llm_usage_keys (client_id, idempotency_key)
      select (r->>0)::int, r->>14 from batch order by i
      on conflict do nothing
      returning client_id, idempotency_key),
    added as (
      insert into llm_usage (client_id, workflow_id, n8n_execution_id, node_name, provider, model,
        prompt_tokens, completion_tokens, total_tokens, is_estimate, cost_micro_usd, cost_source,
        reason, source, idempotency_key, occurred_at)
      select (r->>0)::int, (r->>1)::int, (r->>2)::bigint, r->>3, r->>4, r->>5,
        (r->>6)::int, (r->>7)::int, (r->>8)::int, (r->>9)::boolean, (r->>10)::bigint, r->>11,
        r->>12, r->>13, r->>14, (r->>15)::timestamptz
      from batch b join new_keys k on k.client_id = (b.r->>0)::int and k.idempotency_key = b.r->>14
      order by b.i
      returning 1)
    select count(*)::int as n from added`,
  );
  const inserted = Number(result.n);
  return { inserted, duplicates: rows.length - inserted };
}

/** The stored cost of a usage row, by its key: what a duplicate's caller is told, not its own payload's. */
export async function storedUsageCost(db: Db, clientId: number, idempotencyKey: string): Promise<number | null> {
  const [row] = await db
    .select({ costMicroUsd: llmUsage.costMicroUsd })
    .from(llmUsage)
    .where(and(eq(llmUsage.clientId, clientId), eq(llmUsage.idempotencyKey, idempotencyKey)));
  return row?.costMicroUsd ?? null;
}
