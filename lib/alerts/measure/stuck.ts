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
const LOOKBACK_MS = 7 * DAY_MS;
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
  const clientOf = new Map(targets.map((c) => [c.id, c]));

  times.forEach((_, i) => {
    const byWorkflow = new Map<number, { client: ClientTarget; ids: number[]; longestMs: number; earliest: number }>();
    for (const r of rows) {
      const client = clientOf.get(Number(r.client_id));
      const h = horizons[i]!.get(Number(r.client_id));
      if (!client || h === null || h === undefined) continue;
      const started = time(r.started_at)!;
      const stopped = time(r.stopped_at);
      // Still unfinished at h: it had not stopped by then (or has not at all).
      const open = stopped === null ? (UNFINISHED_STATUSES as readonly string[]).includes(r.status) : stopped > h;
      if (!open || started >= h) continue;
      const waitTill = time(r.wait_till);
      // A waiting execution without a waitTill waits for a webhook or a form: never overdue.
      const overdue = waitTill !== null && h - waitTill > graceMs;
      const running = waitTill === null && r.status !== "waiting" && h - started > runningMs;
      if (!overdue && !running) continue;
      const wf = Number(r.workflow_id);
      const entry = byWorkflow.get(wf) ?? { client, ids: [], longestMs: 0, earliest: started };
      entry.ids.push(Number(r.n8n_execution_id));
      entry.longestMs = Math.max(entry.longestMs, overdue ? h - waitTill! : h - started);
      entry.earliest = Math.min(entry.earliest, started);
      byWorkflow.set(wf, entry);
    }
    for (const [workflowId, e] of byWorkflow) {
      const who = `${names.get(workflowId) ?? `Workflow ${workflowId}`} (${e.client.name})`;
      const listed = e.ids
        .slice(0, MAX_LISTED)
        .map((id) => `#${id}`)
        .join(", ");
      const obs: Observation = {
        subject: workflowSubject(workflowId),
        clientId: e.client.id,
        workflowId,
        value: e.ids.length,
        threshold: rule.params.runningMinutes,
        summary: `${who}: ${e.ids.length} execution${e.ids.length === 1 ? "" : "s"} stuck (${listed}${e.ids.length > MAX_LISTED ? ", …" : ""}), the longest for ${durationText(e.longestMs)}`,
        link: runsLink(e.client.slug, new Date(e.earliest), new Date(horizons[i]!.get(e.client.id)!), {
          workflowId,
          status: [...UNFINISHED_STATUSES].join(","),
        }),
        details: { executionIds: e.ids.slice(0, 50) },
      };
      out[i]!.push(obs);
    }
  });
  return out;
}
