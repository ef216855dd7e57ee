/**
 * live-summary and live-series: the same answers as summary and series, computed from
 * raw production executions instead of rollups, over exactly the requested range (first
 * and last bucket clipped to it, as the rollup answers are), so the two can be compared:
 * counts agree exactly, percentiles within the histogram's error (these are exact, by
 * percentile_cont). Raw executions are kept 90 days; live answers are never cached.
 */
import { num, ts, queryRows, type Db } from "@/lib/db/database";
import { sql } from "drizzle-orm";
import { assertClientExists } from "@/lib/clients/queries";
import type { Granularity } from "@/lib/core/vocabulary";
import { countedUsage } from "@/lib/ingest/rollups/usage";
import { executionCountsSql } from "@/lib/ingest/rollups/execution-counts";
import { loadCalendar } from "@/lib/ingest/rollups/calendar";
import { buildSeries, seriesGranularity } from "./series";
import { buildSummary } from "./summary";
import { figuresFromRow, groupJoinSql, groupKey, groupSql, type Figures } from "./totals";
import type { Percentiles, SeriesResponse, SummaryResponse } from "./types";
import { toResolvedRange, type BucketWindow, type RangeInput } from "./window";

export interface LiveQuery {
  clientId: number;
  range: RangeInput;
  now?: Date;
}

/** Figures of the client's raw production executions (and LLM usage) in a window, grouped. */
export async function liveFigures(
  db: Db,
  q: { clientId: number; window: BucketWindow; groupBy: "all" | Granularity },
): Promise<Map<string, Figures>> {
  const execHour = sql`date_trunc('hour', e.started_at)`;
  const llmHour = sql`date_trunc('hour', u.occurred_at)`;
  const execKey = groupSql(q.groupBy, execHour, sql.raw("e"));
  const llmKey = groupSql(q.groupBy, llmHour, sql.raw("u"));
  const { from, to } = q.window;
  const [rows, llm] = await Promise.all([
    queryRows<Record<string, unknown>>(
      db,
      sql`select ${execKey} as key, ${executionCountsSql()},
        percentile_cont(array[0.5, 0.75, 0.9, 0.95, 0.99]::float8[]) within group (order by e.duration_ms) as pcts
      from executions e join workflows w on w.id = e.workflow_id join clients c on c.id = e.client_id
        ${groupJoinSql(q.groupBy, execHour, sql.raw("e"))}
      where e.client_id = ${q.clientId} and e.is_production
        and e.started_at >= ${ts(from)} and e.started_at < ${ts(to)}
      group by 1`,
    ),
    // Rollups count LLM usage that is attributed to a workflow, by the hour it occurred,
    // and not usage of non-production executions: the same rule here (countedUsage).
    queryRows<Record<string, unknown>>(
      db,
      sql`select ${llmKey} as key, count(*) as llm_calls, coalesce(sum(u.prompt_tokens), 0)::float8 as tokens_in,
        coalesce(sum(u.completion_tokens), 0)::float8 as tokens_out,
        coalesce(sum(coalesce(u.cost_micro_usd, 0)), 0)::float8 as cost_micro_usd
      from llm_usage u ${groupJoinSql(q.groupBy, llmHour, sql.raw("u"))}
      where u.client_id = ${q.clientId} and u.workflow_id is not null
        and u.occurred_at >= ${ts(from)} and u.occurred_at < ${ts(to)}
        and ${countedUsage(sql.raw("u"))}
      group by 1`,
    ),
  ]);

  const out = new Map<string, Figures>();
  for (const row of rows) {
    out.set(groupKey(row.key), { ...figuresFromRow(row), percentiles: toPercentiles(row.pcts) });
  }
  for (const row of llm) {
    const key = groupKey(row.key);
    const f = out.get(key) ?? figuresFromRow({});
    out.set(key, {
      ...f,
      llmCalls: num(row.llm_calls),
      tokensIn: num(row.tokens_in),
      tokensOut: num(row.tokens_out),
      costMicroUsd: num(row.cost_micro_usd),
    });
  }
  return out;
}

/** percentile_cont over an array: a float8[] (parsed by both drivers) or its text form. */
function toPercentiles(value: unknown): Percentiles {
  const list: Array<number | null> = Array.isArray(value)
    ? value.map((v) => (v === null ? null : Number(v)))
    : typeof value === "string"
      ? value
          .replace(/[{}]/g, "")
          .split(",")
          .map((v) => (v === "NULL" || v === "" ? null : Number(v)))
      : [];
  const at = (i: number) => list[i] ?? null;
  return { p50: at(0), p75: at(1), p90: at(2), p95: at(3), p99: at(4) };
}

/** GET /api/v1/metrics/live-summary */
export async function getLiveSummary(db: Db, q: LiveQuery): Promise<SummaryResponse> {
  const range = toResolvedRange(q.range, q.now);
  await assertClientExists(db, q.clientId);
  const level = range.granularity;
  const window = { from: range.start, to: range.end };
  const [overall, buckets] = await Promise.all([
    liveFigures(db, { clientId: q.clientId, window, groupBy: "all" }),
    liveFigures(db, { clientId: q.clientId, window, groupBy: level }),
  ]);
  return {
    clientId: q.clientId,
    start: range.start.toISOString(),
    end: range.end.toISOString(),
    source: "raw",
    granularity: level,
    ...buildSummary(overall.get("all"), [...buckets.values()]),
  };
}

/** GET /api/v1/metrics/live-series */
export async function getLiveSeries(db: Db, q: LiveQuery & { granularity?: Granularity }): Promise<SeriesResponse> {
  const range = toResolvedRange(q.range, q.now);
  const level = range.granularity;
  const granularity = seriesGranularity(level, q.granularity);
  await assertClientExists(db, q.clientId);
  const window = { from: range.start, to: range.end };
  const [figures, calendar] = await Promise.all([
    liveFigures(db, { clientId: q.clientId, window, groupBy: granularity }),
    loadCalendar(db, q.clientId),
  ]);
  return {
    clientId: q.clientId,
    start: range.start.toISOString(),
    end: range.end.toISOString(),
    source: "raw",
    granularity,
    series: buildSeries(window, granularity, figures, calendar),
  };
}
