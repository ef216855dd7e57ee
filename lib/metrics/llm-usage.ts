import { num, numOrNull, ts } from "@/lib/db/database";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows, type Db } from "@/lib/db/database";
import { assertClientExists } from "@/lib/clients/queries";
import type {
  LlmCostPoint,
  LlmUsageByModel,
  LlmUsageByWorkflow,
  LlmUsageResponse,
} from "@/lib/metrics/llm-usage-types";
import { bucketStartSql, zoneSpanJoin } from "@/lib/ingest/rollups/buckets";
import { loadCalendar } from "@/lib/ingest/rollups/calendar";
import { countedUsage } from "@/lib/ingest/rollups/usage";
import { cachedQuery } from "./cache";
import { ClientRangeParams } from "./params";
import { groupKey, microToUsd } from "./totals";
import { bucketWindow, toResolvedRange, type BucketWindow, type RangeInput } from "./window";

export const LLM_USAGE_TABLES = ["workflow", "model", "cost"] as const;
export type LlmUsageTable = (typeof LLM_USAGE_TABLES)[number];

export const LlmUsageQuery = ClientRangeParams.extend({
  table: z
    .enum(LLM_USAGE_TABLES, { message: `must be one of ${LLM_USAGE_TABLES.join(", ")}` })
    .default("workflow")
    .meta({ description: "The table `format=csv` exports: per workflow, per model, or cost over time." }),
});
export type LlmUsageQuery = z.infer<typeof LlmUsageQuery>;

export interface LlmUsageOptions {
  clientId: number;
  range: RangeInput;
  now?: Date;
}

/** One row per grouping set: a workflow, a (provider, model), a bucket, or the total. */
interface GroupRow {
  set: "workflow" | "model" | "bucket" | "total";
  workflow_id: number | null;
  workflow_name: string | null;
  provider: string | null;
  model: string | null;
  bucket: Date | string | null;
  calls: unknown;
  prompt: unknown;
  completion: unknown;
  total: unknown;
  cost: unknown;
  unpriced: unknown;
  estimated: unknown;
}

/**
 * The client's counted usage (rollups/usage.ts: not of non-production executions) in the
 * window, summed four ways in one scan of llm_usage_client_time_idx. Raw usage, not
 * rollups: only it knows models, estimates and usage without a workflow.
 */
function usageGroups(db: Db, clientId: number, window: BucketWindow, granularity: LlmUsageResponse["granularity"]) {
  return queryRows<GroupRow>(
    db,
    sql`select case when grouping(workflow_id, workflow_name) = 0 then 'workflow'
          when grouping(provider, model) = 0 then 'model'
          when grouping(bucket) = 0 then 'bucket' else 'total' end as set,
        workflow_id, workflow_name, provider, model, bucket,
        count(*)::float8 as calls, sum(prompt_tokens)::float8 as prompt,
        sum(completion_tokens)::float8 as completion, sum(total_tokens)::float8 as total,
        sum(cost_micro_usd)::float8 as cost,
        count(*) filter (where cost_micro_usd is null)::float8 as unpriced,
        coalesce(sum(total_tokens) filter (where is_estimate), 0)::float8 as estimated
      from (
        select u.workflow_id, w.name as workflow_name, u.provider, u.model, u.prompt_tokens,
          u.completion_tokens, u.total_tokens, u.cost_micro_usd, u.is_estimate,
          ${bucketStartSql(granularity, sql`date_trunc('hour', u.occurred_at)`)} as bucket
        from llm_usage u left join workflows w on w.id = u.workflow_id
          ${zoneSpanJoin(sql`u.client_id`, sql`date_trunc('hour', u.occurred_at)`)}
        where u.client_id = ${clientId} and u.occurred_at >= ${ts(window.from)} and u.occurred_at < ${ts(window.to)}
          and ${countedUsage(sql.raw("u"))}
      ) u
      group by grouping sets ((workflow_id, workflow_name), (provider, model), (bucket), ())`,
  );
}

function figures(row: GroupRow | undefined) {
  const cost = numOrNull(row?.cost);
  return {
    calls: num(row?.calls),
    promptTokens: num(row?.prompt),
    completionTokens: num(row?.completion),
    totalTokens: num(row?.total),
    // sum() of only nulls is null: a group of unpriced calls has no cost, not $0.
    costUsd: cost === null ? null : microToUsd(cost),
    unpricedCalls: num(row?.unpriced),
  };
}

const byTokens =
  <T extends { totalTokens: number }>(label: (t: T) => string) =>
  (a: T, b: T) =>
    b.totalTokens - a.totalTokens || label(a).localeCompare(label(b));

/**
 * The version of the client's usage that bypasses sync runs (the cache's data version):
 * ingested events and re-pricings. Those with a workflow queue their hour
 * (rollup_dirty_hours, by trigger; a re-queued key gets a new enqueued_at) until the next
 * refresh, which runs under a recorded run. Those without a workflow have no bucket and
 * no key, so they are counted over the window, which the answer reads anyway.
 */
async function ingestVersion(db: Db, clientId: number, window: BucketWindow): Promise<string> {
  const [row] = await queryRows<{ n: unknown; at: unknown; loose: unknown }>(
    db,
    sql`select (select count(*) from rollup_dirty_hours where client_id = ${clientId}) as n,
      (select max(enqueued_at) from rollup_dirty_hours where client_id = ${clientId}) as at,
      (select count(*) from llm_usage where client_id = ${clientId} and occurred_at >= ${ts(window.from)}
        and occurred_at < ${ts(window.to)} and workflow_id is null) as loose`,
  );
  const at = row?.at instanceof Date ? row.at.toISOString() : String(row?.at ?? "");
  return `${String(row?.n ?? 0)}/${at}/${String(row?.loose ?? 0)}`;
}

/**
 * GET /api/v1/metrics/llm-usage: tokens, calls and cost per workflow and per model
 * (unpriced models flagged), cost over every bucket of the range, and the share of
 * tokens n8n estimated. Covers the range's whole buckets at its rollup level, as the
 * other metrics do; `start`/`end` of the answer are that span.
 */
export async function getLlmUsage(db: Db, q: LlmUsageOptions): Promise<LlmUsageResponse> {
  const range = toResolvedRange(q.range, q.now);
  await assertClientExists(db, q.clientId);
  const granularity = range.granularity;
  const calendar = await loadCalendar(db, q.clientId);
  const labels = bucketWindow(range, granularity, calendar);
  // The span the buckets hold: from their first whole hour (calendar.ts).
  const window = { from: calendar.start(labels.from), to: calendar.start(labels.to) };
  const version = await ingestVersion(db, q.clientId, window);

  return cachedQuery(
    db,
    { endpoint: "llm-usage", clientId: q.clientId, params: { granularity, window, version } },
    async () => {
      const rows = await usageGroups(db, q.clientId, window, granularity);
      const total = rows.find((r) => r.set === "total");
      const totals = figures(total);
      const byWorkflow: LlmUsageByWorkflow[] = rows
        .filter((r) => r.set === "workflow")
        .map((r) => ({ workflowId: r.workflow_id, workflowName: r.workflow_name, ...figures(r) }))
        .sort(byTokens((w) => w.workflowName ?? ""));
      const byModel: LlmUsageByModel[] = rows
        .filter((r) => r.set === "model")
        .map((r) => {
          const f = figures(r);
          return { provider: r.provider, model: r.model ?? "unknown", ...f, priced: f.costUsd !== null };
        })
        .sort(byTokens((m) => `${m.provider ?? ""}/${m.model}`));
      const buckets = new Map(rows.filter((r) => r.set === "bucket").map((r) => [groupKey(r.bucket), r]));
      const costOverTime: LlmCostPoint[] = calendar.labelsInRange(window.from, window.to, granularity).map((start) => {
        const bucket = start.toISOString();
        const f = figures(buckets.get(bucket));
        return { bucket, calls: f.calls, totalTokens: f.totalTokens, costUsd: f.costUsd };
      });
      return {
        clientId: q.clientId,
        start: window.from.toISOString(),
        end: window.to.toISOString(),
        granularity,
        totals: {
          ...totals,
          estimatedTokenShare:
            totals.totalTokens > 0 ? Math.round((1000 * num(total?.estimated)) / totals.totalTokens) / 10 : null,
        },
        byWorkflow,
        byModel,
        costOverTime,
      };
    },
  );
}

type Rows = Array<Record<string, unknown>>;

/** `format=csv`: one of the answer's tables, chosen by `table`. */
export function llmUsageCsvRows(r: LlmUsageResponse, table: LlmUsageTable): Rows {
  switch (table) {
    case "workflow":
      return r.byWorkflow.map((w) => ({ ...w }));
    case "model":
      return r.byModel.map((m) => ({ ...m }));
    case "cost":
      return r.costOverTime.map((p) => ({ ...p }));
  }
}
