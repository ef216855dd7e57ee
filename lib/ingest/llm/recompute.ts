import { sql } from "drizzle-orm";
import { ts, queryRows, type Db } from "@/lib/db/database";
import { costOf } from "./cost";
import { loadPriceOverrides } from "./pricing";

export interface RecomputeCostsOptions {
  /** Omitted: every client. */
  clientId?: number;
  from: Date;
  to: Date;
  /** Count what would change, write nothing. */
  dryRun?: boolean;
  /** Rows read per query, so memory stays flat over years of usage. */
  batchSize?: number;
}

export interface RecomputeCostsResult {
  /** Usage rows in the range whose cost came from pricing (explicit costs are never re-priced). */
  repriced: number;
  /** Of those, rows whose cost or price source changed. */
  changed: number;
}

interface StoredCall {
  id: number;
  client_id: number;
  provider: string | null;
  model: string;
  prompt_tokens: number;
  completion_tokens: number;
  occurred_at: Date | string;
  cost_micro_usd: number | string | null;
  cost_source: string | null;
}

/**
 * Re-prices stored LLM usage that occurred in [from, to) with today's price catalog and
 * overrides, each call at the price in force at its time (an override added later with
 * an earlier effectiveFrom changes past costs from that date on). Costs an ingest caller
 * gave explicitly are kept. The trigger on llm_usage queues the hours of changed rows, so
 * the next refresh, or the rebuild a backfill runs after this, carries them into the
 * rollups.
 */
export async function recomputeUsageCosts(db: Db, opts: RecomputeCostsOptions): Promise<RecomputeCostsResult> {
  const overrides = await loadPriceOverrides(db);
  const batch = Math.max(1, Math.trunc(opts.batchSize ?? 5000));
  const client = opts.clientId === undefined ? sql`` : sql` and client_id = ${opts.clientId}`;
  const result: RecomputeCostsResult = { repriced: 0, changed: 0 };
  // Keyset pagination by (occurred_at, id), the partition key first: updated rows keep
  // both, so no row is read twice, and each page reads only its months.
  for (let after = { at: opts.from.toISOString(), id: 0 }; ;) {
    const rows = await queryRows<StoredCall>(
      db,
      sql`select id, client_id, provider, model, prompt_tokens, completion_tokens, occurred_at, cost_micro_usd, cost_source
        from llm_usage
        where occurred_at >= ${ts(opts.from)} and occurred_at < ${ts(opts.to)}${client}
          and cost_source is distinct from 'explicit' and (occurred_at, id) > (${after.at}::timestamptz, ${after.id})
        order by occurred_at, id limit ${batch}`,
    );
    if (rows.length === 0) return result;
    const last = rows[rows.length - 1];
    after = { at: new Date(last.occurred_at).toISOString(), id: Number(last.id) };
    result.repriced += rows.length;
    const changes = rows.flatMap((row) => {
      const cost = costOf(
        {
          provider: row.provider,
          model: row.model,
          promptTokens: Number(row.prompt_tokens),
          completionTokens: Number(row.completion_tokens),
          at: new Date(row.occurred_at),
        },
        overrides,
      );
      const before = row.cost_micro_usd === null ? null : Number(row.cost_micro_usd);
      return before === cost.costMicroUsd && row.cost_source === cost.costSource
        ? []
        : [
            [
              Number(row.id),
              cost.costMicroUsd,
              cost.costSource,
              Number(row.client_id),
              new Date(row.occurred_at).toISOString(),
            ],
          ];
    });
    result.changed += changes.length;
    if (changes.length > 0 && !opts.dryRun) {
      await db.execute(
        sql`update llm_usage u set cost_micro_usd = (r->>1)::bigint, cost_source = r->>2
          from jsonb_array_elements(${JSON.stringify(changes)}::jsonb) as r
          where u.client_id = (r->>3)::int and u.occurred_at = (r->>4)::timestamptz and u.id = (r->>0)::bigint`,
      );
    }
    if (rows.length < batch) return result;
  }
}
