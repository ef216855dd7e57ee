/**
 * Stuck runs, per workflow: a production execution still running longer than the rule
 * allows, or waiting more than the grace period past its waitTill, as of where the
 * client's collected data ends. An execution that has since finished counts as stuck
 * for the instants it was still running then, so the backtest sees past stuck runs.
 */
import { sql } from "drizzle-orm";
import { isoTime, queryRows, ts, type Db } from "@/lib/db/database";
import { arrayParam, sqlLiterals } from "@/lib/db/sql-literals";
import { DAY_MS, MINUTE_MS } from "@/lib/core/time";
import { UNFINISHED_STATUSES } from "@/lib/core/vocabulary";
import type { ParamsOf } from "../rules";
import { workflowSubject } from "../subject";
import type { ClientTarget, Measurements, Observation, RuleToEvaluate } from "../types";
import { dataHorizon, durationText, runsLink, workflowNames, type SyncHistory } from "./context";

/** An execution started longer ago than this before the instant is no longer looked at. */
const LOOKBACK_MS = 30 * DAY_MS;
const MAX_LISTED = 5;

interface Candidate {
  client_id: number;
  workflow_id: number;
  n8n_execution_id: number;
  status: string;
  started_at: unknown;
  stopped_at: unknown;
  wait_till: unknown;
}

/** An execution stuck for horizons in (from, to); `since`: what "stuck for" counts from. */
interface Span {
  clientId: number;
  workflowId: number;
  executionId: number;
  started: number;
  since: number;
  from: number;
  to: number;
}

/**
 * When a candidate is stuck. Running: from `runningMs` after its start; waiting with a
 * waitTill: from `graceMs` past it (a waiting execution without one waits for a webhook
 * or a form: never overdue). Until it stopped, or for good while n8n says it has not.
 */
function stuckSpan(r: Candidate, runningMs: number, graceMs: number): Span | null {
  const started = time(r.started_at)!;
  const stopped = time(r.stopped_at);
  const waitTill = time(r.wait_till);
  const unfinished = (UNFINISHED_STATUSES as readonly string[]).includes(r.status);
  const to = stopped ?? (unfinished ? Number.POSITIVE_INFINITY : started);
  let since: number;
  let from: number;
  if (waitTill !== null) {
    since = waitTill;
    from = Math.max(waitTill + graceMs, started);
  } else if (r.status !== "waiting") {
    since = started;
    from = started + runningMs;
  } else return null;
  if (to <= from) return null;
  return {
    clientId: Number(r.client_id),
    workflowId: Number(r.workflow_id),
    executionId: Number(r.n8n_execution_id),
    started,
    since,
    from,
    to,
  };
}

const time = (v: unknown) => (v === null || v === undefined ? null : Date.parse(isoTime(v as Date | string)));

export async function measureStuck(
  db: Db,
  rule: RuleToEvaluate & { params: ParamsOf<"stuck"> },
  targets: ClientTarget[],
  syncs: Map<number, SyncHistory>,
  times: Date[],
): Promise<Measurements> {
  const out: Measurements = times.map(() => []);
  const runningMs = rule.params.runningMinutes * MINUTE_MS;
  const graceMs = rule.params.waitingGraceMinutes * MINUTE_MS;
  const horizons = times.map((t) => new Map(targets.map((c) => [c.id, dataHorizon(syncs.get(c.id), t.getTime())])));
  const all = horizons.flatMap((m) => [...m.values()]).filter((h): h is number => h !== null);
  if (all.length === 0) return out;
  const lo = new Date(Math.min(...all) - Math.max(runningMs, graceMs) - LOOKBACK_MS);
  const hi = new Date(Math.max(...all));
  const shortest = Math.min(runningMs, graceMs);
  // Only executions that ever ran (or waited) that long, or have not finished.
  const rows = await queryRows<Candidate>(
    db,
    sql`select client_id, workflow_id, n8n_execution_id, status, started_at, stopped_at, wait_till from executions
      where client_id = any(${arrayParam(targets.map((c) => c.id))}::int[]) and is_production
        and started_at >= ${ts(lo)} and started_at < ${ts(hi)}
        ${rule.workflowId === null ? sql`` : sql`and workflow_id = ${rule.workflowId}`}
        and (status in (${sqlLiterals(UNFINISHED_STATUSES)}) or wait_till is not null
          or stopped_at - started_at > ${shortest} * interval '1 millisecond')
      order by n8n_execution_id`,
  );
  const names = await workflowNames(db, [...new Set(rows.map((r) => Number(r.workflow_id)))]);

  // When each candidate counts as stuck: for horizons h with a < h < b. Read once, then
  // swept along each client's horizons (which only grow), never re-read per instant.
  const spans = new Map<number, Span[]>();
  for (const r of rows) {
    const span = stuckSpan(r, runningMs, graceMs);
    if (!span) continue;
    const list = spans.get(span.clientId) ?? [];
    list.push(span);
    spans.set(span.clientId, list);
  }
  for (const list of spans.values()) list.sort((x, y) => x.from - y.from);

  for (const client of targets) {
    const list = spans.get(client.id) ?? [];
    let next = 0;
    let active: Span[] = [];
    times.forEach((_, i) => {
      const h = horizons[i]!.get(client.id);
      if (h === null || h === undefined) return;
      while (next < list.length && list[next]!.from < h) active.push(list[next++]!);
      active = active.filter((span) => span.to > h);
      const byWorkflow = new Map<number, Span[]>();
      for (const span of active) byWorkflow.set(span.workflowId, [...(byWorkflow.get(span.workflowId) ?? []), span]);
      for (const [workflowId, stuck] of byWorkflow) out[i]!.push(observe(stuck, workflowId, client, h));
    });
  }
  return out;

  function observe(stuck: Span[], workflowId: number, client: ClientTarget, h: number): Observation {
    const ids = stuck.map((x) => x.executionId).sort((a, b) => a - b);
    const who = `${names.get(workflowId) ?? `Workflow ${workflowId}`} (${client.name})`;
    const listed = ids
      .slice(0, MAX_LISTED)
      .map((id) => `#${id}`)
      .join(", ");
    const longest = Math.max(...stuck.map((x) => h - x.since));
    return {
      subject: workflowSubject(workflowId),
      clientId: client.id,
      workflowId,
      value: ids.length,
      threshold: rule.params.runningMinutes,
      summary: `${who}: ${ids.length} execution${ids.length === 1 ? "" : "s"} stuck (${listed}${ids.length > MAX_LISTED ? ", …" : ""}), the longest for ${durationText(longest)}`,
      link: runsLink(client.slug, new Date(Math.min(...stuck.map((x) => x.started))), new Date(h), {
        workflowId,
        status: [...UNFINISHED_STATUSES].join(","),
      }),
      details: { executionIds: ids.slice(0, 50) },
    };
  }
}
