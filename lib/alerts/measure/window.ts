/**
 * Failure rate, failure count and duration percentiles over a trailing window, ending
 * where each client's collected data ends (its newest successful sync's start, to the
 * second): a sync that has not run yet is not a quiet spell. Counted with the executions'
 * own select list (executionCountsSql), the dashboards' definitions of a failure and a
 * finished run (lib/metrics/totals.ts) and their latency histograms (percentiles within
 * 1%, as every dashboard's), over production executions only.
 *
 * Read as one row per subject and second, then summed over each instant's window by
 * sliding it along the seconds: a backtest of thousands of instants over a week-long
 * window reads each execution once, not once per instant.
 */
import { sql } from "drizzle-orm";
import { isoTime, queryRows, ts, type Db } from "@/lib/db/database";
import { arrayParam } from "@/lib/db/sql-literals";
import { FAILED_STATUSES } from "@/lib/core/vocabulary";
import { MINUTE_MS, SECOND_MS } from "@/lib/core/time";
import { executionCountsSql } from "@/lib/ingest/rollups/execution-counts";
import { pct } from "@/lib/metrics/compare";
import { failures, figuresFromRow, finished, type Figures } from "@/lib/metrics/totals";
import { histogramFromDurations, histogramPercentiles, type LatencyHistogram } from "@/lib/core/histogram";
import type { ParamsOf } from "../rules";
import { perWorkflow } from "../rules";
import { clientSubject, workflowSubject } from "../subject";
import type { ClientTarget, Measurements, Observation, RuleToEvaluate } from "../types";
import { dataHorizon, durationText, runsLink, workflowNames, type SyncHistory } from "./context";

type WindowParams = ParamsOf<"failure_rate"> | ParamsOf<"failures"> | ParamsOf<"latency">;

interface SecondRow {
  client_id: number;
  workflow_id: number;
  second: unknown;
  durations: unknown;
  [column: string]: unknown;
}

/** The additive part of Figures: what a window's seconds sum to. */
type Counts = Pick<Figures, "total" | "success" | "error" | "crashed" | "canceled" | "other" | "durationCount">;
const COUNT_FIELDS: Array<keyof Counts> = [
  "total",
  "success",
  "error",
  "crashed",
  "canceled",
  "other",
  "durationCount",
];

interface Second {
  at: number;
  counts: Counts;
  histogram: LatencyHistogram | null;
}

/** A running sum over a window that only moves forward. */
class SlidingWindow {
  private head = 0;
  private tail = 0;
  readonly counts: Counts = { total: 0, success: 0, error: 0, crashed: 0, canceled: 0, other: 0, durationCount: 0 };
  readonly histogram: LatencyHistogram = {};

  constructor(private readonly seconds: Second[]) {}

  /** Moves the window to [from, to); both only ever grow. */
  moveTo(from: number, to: number): void {
    while (this.head < this.seconds.length && this.seconds[this.head]!.at < to) this.add(this.seconds[this.head++]!, 1);
    while (this.tail < this.head && this.seconds[this.tail]!.at < from) this.add(this.seconds[this.tail++]!, -1);
  }

  private add(m: Second, sign: 1 | -1): void {
    for (const f of COUNT_FIELDS) this.counts[f] += sign * m.counts[f];
    for (const [k, n] of Object.entries(m.histogram ?? {})) {
      const v = (this.histogram[k] ?? 0) + sign * n;
      if (v === 0) delete this.histogram[k];
      else this.histogram[k] = v;
    }
  }
}

const floorSecond = (t: number) => Math.floor(t / SECOND_MS) * SECOND_MS;

export async function measureWindow(
  db: Db,
  rule: RuleToEvaluate & { params: WindowParams },
  targets: ClientTarget[],
  syncs: Map<number, SyncHistory>,
  times: Date[],
): Promise<Measurements> {
  const p = rule.params;
  const windowMs = p.windowMinutes * MINUTE_MS;
  const byWorkflow = perWorkflow(p);
  const latency = p.kind === "latency";
  const out: Measurements = times.map(() => []);
  // Where each client's window ends at each instant (null: nothing collected yet).
  const ends = times.map((t) =>
    targets.map((c) => {
      const h = dataHorizon(syncs.get(c.id), t.getTime());
      return h === null ? null : floorSecond(h);
    }),
  );
  const all = ends.flat().filter((e): e is number => e !== null);
  if (all.length === 0) return out;
  const rows = await queryRows<SecondRow>(
    db,
    sql`select e.client_id, ${byWorkflow ? sql`e.workflow_id` : sql`0`} as workflow_id,
        date_trunc('second', e.started_at) as second, ${executionCountsSql()},
        ${latency ? sql`array_agg(e.duration_ms) filter (where e.duration_ms is not null)` : sql`null`} as durations
      from executions e join workflows w on w.id = e.workflow_id join clients c on c.id = e.client_id
      where e.client_id = any(${arrayParam(targets.map((c) => c.id))}::int[]) and e.is_production
        and e.started_at >= ${ts(new Date(Math.min(...all) - windowMs))} and e.started_at < ${ts(new Date(Math.max(...all)))}
        ${rule.workflowId === null ? sql`` : sql`and e.workflow_id = ${rule.workflowId}`}
      group by 1, 2, 3 order by 1, 2, 3`,
  );
  const subjects = new Map<string, { clientId: number; workflowId: number | null; seconds: Second[] }>();
  for (const r of rows) {
    const workflowId = byWorkflow ? Number(r.workflow_id) : rule.workflowId;
    const key = `${r.client_id}:${r.workflow_id}`;
    const subject = subjects.get(key) ?? { clientId: Number(r.client_id), workflowId, seconds: [] };
    const f = figuresFromRow(r);
    subject.seconds.push({
      at: Date.parse(isoTime(r.second as Date | string)),
      counts: f,
      histogram: latency ? histogramFromDurations(durationsOf(r.durations)) : null,
    });
    subjects.set(key, subject);
  }
  const names = byWorkflow ? await workflowNames(db, [...new Set(rows.map((r) => Number(r.workflow_id)))]) : new Map();
  const clientIndex = new Map(targets.map((c, i) => [c.id, i]));

  for (const s of subjects.values()) {
    const client = targets[clientIndex.get(s.clientId)!]!;
    const window = new SlidingWindow(s.seconds);
    times.forEach((_, i) => {
      const end = ends[i]![clientIndex.get(s.clientId)!];
      if (end === null || end === undefined) return;
      window.moveTo(end - windowMs, end);
      const obs = judge(rule.params, window, {
        client,
        workflowId: s.workflowId,
        byWorkflow,
        name: s.workflowId === null ? null : (names.get(s.workflowId) ?? `Workflow ${s.workflowId}`),
        from: new Date(end - windowMs),
        to: new Date(end),
      });
      if (obs) out[i]!.push(obs);
    });
  }
  return out;
}

/** Whether a window's figures break the rule, and the observation if they do. */
function judge(
  p: WindowParams,
  w: SlidingWindow,
  ctx: {
    client: ClientTarget;
    workflowId: number | null;
    byWorkflow: boolean;
    name: string | null;
    from: Date;
    to: Date;
  },
): Observation | null {
  const f = w.counts;
  const { client, workflowId, from, to } = ctx;
  const who = ctx.name !== null ? `${ctx.name} (${client.name})` : client.name;
  const filters: Record<string, string | number> = workflowId !== null ? { workflowId } : {};
  const over = durationText(to.getTime() - from.getTime());
  const base = {
    subject: workflowId !== null && ctx.byWorkflow ? workflowSubject(workflowId) : clientSubject(client.id),
    clientId: client.id,
    workflowId,
  };
  const failedRuns = runsLink(client.slug, from, to, { ...filters, status: FAILED_STATUSES.join(",") });
  if (p.kind === "failure_rate") {
    const done = finished(f);
    const rate = pct(failures(f), done);
    if (done < p.minRuns || rate === null || rate <= p.thresholdPct) return null;
    return {
      ...base,
      value: rate,
      threshold: p.thresholdPct,
      summary: `${who}: ${rate}% of ${done} finished runs failed over ${over} (above ${p.thresholdPct}%)`,
      link: failedRuns,
      details: { failures: failures(f), finished: done },
    };
  }
  if (p.kind === "failures") {
    const n = failures(f);
    if (n < p.count) return null;
    return {
      ...base,
      value: n,
      threshold: p.count,
      summary: `${who}: ${n} failed runs over ${over} (at least ${p.count})`,
      link: failedRuns,
      details: { failures: n, finished: finished(f) },
    };
  }
  const value = histogramPercentiles(w.histogram)[p.percentile];
  if (f.durationCount < p.minRuns || value === null || value <= p.thresholdMs) return null;
  return {
    ...base,
    value: Math.round(value),
    threshold: p.thresholdMs,
    summary: `${who}: ${p.percentile} duration ${formatMs(value)} over ${over} (above ${formatMs(p.thresholdMs)}, ${f.durationCount} runs)`,
    link: runsLink(client.slug, from, to, { ...filters, minDurationMs: p.thresholdMs }),
    details: { runs: f.durationCount },
  };
}

/** array_agg of int4 as either driver gives it: an array, or its text form. */
function durationsOf(value: unknown): number[] {
  if (Array.isArray(value)) return value.map(Number);
  if (typeof value === "string") return value.replace(/[{}]/g, "").split(",").filter(Boolean).map(Number);
  return [];
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(ms >= 10_000 ? 0 : 1)} s` : `${Math.round(ms)} ms`;
}
