/**
 * Per-client figures for Prometheus, every client (inactive ones too) in one statement:
 * each part is a lookup by client through an index, so the cost grows with the number of
 * clients, not with their history.
 *
 * Executions and LLM figures are all-time sums of the client's month rollups
 * (client_rollups). Month rows are kept forever and every bucket keeps its value when
 * retention deletes its sources (lib/ingest/rollups/retention.ts), so these sums never go
 * down when raw executions, hours or days are deleted, and survive restarts. Rollups count
 * production executions only, and an execution once its hour is rolled up (each sync
 * rolls up what it stored before it ends).
 */
import { sql } from "drizzle-orm";
import { num, queryRows, type Db } from "@/lib/db/database";
import { lastSyncAtSql } from "@/lib/runs/last-sync";

export interface ClientFigures {
  id: number;
  slug: string;
  active: boolean;
  success: number;
  error: number;
  crashed: number;
  canceled: number;
  /** Counted but not final: running, waiting, new, unknown. */
  other: number;
  llmCalls: number;
  tokens: number;
  costMicroUsd: number;
  /** Ids n8n answered 404 for (the coverage ledger's missing gaps). */
  missing: number;
  /** Finish of the newest successful sync; null when none. */
  lastSyncAt: Date | null;
  /** Whether the newest finished sync succeeded; null when none finished. */
  lastSyncOk: boolean | null;
}

interface Row {
  id: number;
  slug: string;
  active: boolean;
  success: unknown;
  error: unknown;
  crashed: unknown;
  canceled: unknown;
  other: unknown;
  llm_calls: unknown;
  tokens: unknown;
  cost: unknown;
  missing: unknown;
  last_sync_at: Date | string | null;
  last_status: string | null;
}

export async function loadClientFigures(db: Db): Promise<ClientFigures[]> {
  const rows = await queryRows<Row>(
    db,
    sql`select c.id, c.slug, c.active, m.success, m.error, m.crashed, m.canceled, m.other, m.llm_calls,
        m.tokens, m.cost, g.missing, ${lastSyncAtSql(sql`c.id`)} as last_sync_at, s.status as last_status
      from clients c
      left join lateral (
        select sum(r.success)::float8 as success, sum(r.error)::float8 as error,
          sum(r.crashed)::float8 as crashed, sum(r.canceled)::float8 as canceled, sum(r.other)::float8 as other,
          sum(r.llm_calls)::float8 as llm_calls, sum(r.tokens_in + r.tokens_out)::float8 as tokens,
          sum(r.cost_micro_usd)::float8 as cost
        from client_rollups r where r.client_id = c.id and r.granularity = 'month') m on true
      left join lateral (
        select sum(x.hi - x.lo + 1)::float8 as missing
        from collect_gaps x where x.client_id = c.id and x.state = 'missing') g on true
      -- The newest finished sync, through sync_runs_client_finished_idx.
      left join lateral (
        select r.status from sync_runs r
        where r.client_id = c.id and r.finished_at is not null and r.function = 'sync-client'
        order by r.finished_at desc limit 1) s on true
      order by c.slug`,
  );
  return rows.map((r) => {
    const at = r.last_sync_at === null ? null : new Date(r.last_sync_at);
    return {
      id: Number(r.id),
      slug: r.slug,
      active: Boolean(r.active),
      success: num(r.success),
      error: num(r.error),
      crashed: num(r.crashed),
      canceled: num(r.canceled),
      other: num(r.other),
      llmCalls: num(r.llm_calls),
      tokens: num(r.tokens),
      costMicroUsd: num(r.cost),
      missing: num(r.missing),
      lastSyncAt: at,
      lastSyncOk: r.last_status === null ? null : r.last_status === "success",
    };
  });
}
