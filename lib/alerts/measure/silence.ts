/**
 * Silence: no production run of a client (or of each of its active workflows) for the
 * rule's duration, up to where its collected data ends. A subject that has never run is
 * not silent, it is new: only subjects with a production run before the quiet spell
 * count (from their rollups, which hold production runs only and are kept longest).
 */
import { sql } from "drizzle-orm";
import { isoTime, queryRows, ts, type Db } from "@/lib/db/database";
import { arrayParam } from "@/lib/db/sql-literals";
import { HOUR_MS, MINUTE_MS, DAY_MS } from "@/lib/core/time";
import type { ParamsOf } from "../rules";
import { clientSubject, workflowSubject } from "../subject";
import type { ClientTarget, Measurements, RuleToEvaluate } from "../types";
import { dataHorizon, durationText, workflowLink, runsLink, type SyncHistory } from "./context";

/** How far before a quiet spell the last run is looked up, for the alert's sentence. */
const LAST_RUN_LOOKBACK_MS = 7 * DAY_MS;

export async function measureSilence(
  db: Db,
  rule: RuleToEvaluate & { params: ParamsOf<"silence"> },
  targets: ClientTarget[],
  syncs: Map<number, SyncHistory>,
  times: Date[],
): Promise<Measurements> {
  const out: Measurements = times.map(() => []);
  const quietMs = rule.params.minutes * MINUTE_MS;
  const byWorkflow = rule.params.per === "workflow" || rule.workflowId !== null;
  const horizons = times.map((t) => new Map(targets.map((c) => [c.id, dataHorizon(syncs.get(c.id), t.getTime())])));
  const all = horizons.flatMap((m) => [...m.values()]).filter((h): h is number => h !== null);
  if (all.length === 0 || targets.length === 0) return out;
  const lo = new Date(Math.min(...all) - quietMs - LAST_RUN_LOOKBACK_MS);
  const hi = new Date(Math.max(...all));
  const ids = sql`${arrayParam(targets.map((c) => c.id))}::int[]`;
  const key = byWorkflow ? sql`workflow_id` : sql`0`;
  const onlyWorkflow = rule.workflowId === null ? sql`` : sql`and workflow_id = ${rule.workflowId}`;

  const [subjects, starts] = await Promise.all([
    // Who has run before: the first rolled-up hour (or day, week, month) with production runs.
    queryRows<{ client_id: number; workflow_id: number; name: string | null; first: unknown }>(
      db,
      byWorkflow
        ? sql`select w.client_id, w.id as workflow_id, w.name, (select min(r.bucket_start) from rollups r
              where r.client_id = w.client_id and r.workflow_id = w.id and r.total > 0) as first
            from workflows w where w.client_id = any(${ids}) and w.active and not w.is_archived
              ${rule.workflowId === null ? sql`` : sql`and w.id = ${rule.workflowId}`}`
        : sql`select r.client_id, 0 as workflow_id, null as name, min(r.bucket_start) as first
            from client_rollups r where r.client_id = any(${ids}) and r.total > 0 group by r.client_id`,
    ),
    // The last start per subject and hour: enough to find the last run before any instant.
    queryRows<{ client_id: number; k: number; hour: unknown; last: unknown }>(
      db,
      sql`select client_id, ${key} as k, date_trunc('hour', started_at) as hour, max(started_at) as last
        from executions where client_id = any(${ids}) and is_production
          and started_at >= ${ts(lo)} and started_at < ${ts(hi)} ${onlyWorkflow}
        group by 1, 2, 3 order by 1, 2, 3`,
    ),
  ]);
  const lastStarts = new Map<string, number[]>();
  for (const r of starts) {
    const k = `${r.client_id}:${r.k}`;
    const list = lastStarts.get(k) ?? [];
    list.push(Date.parse(isoTime(r.last as Date | string)));
    lastStarts.set(k, list);
  }
  const clientOf = new Map(targets.map((c) => [c.id, c]));

  times.forEach((_, i) => {
    for (const s of subjects) {
      const client = clientOf.get(Number(s.client_id));
      const h = horizons[i]!.get(Number(s.client_id));
      if (!client || h === null || h === undefined || s.first === null) continue;
      const since = h - quietMs;
      // The subject's first rolled-up bucket may start before its first run (a day, a month):
      // it counts as having run before the spell only if that bucket ended before it.
      if (Date.parse(isoTime(s.first as Date | string)) + HOUR_MS > since) continue;
      const list = lastStarts.get(`${s.client_id}:${s.workflow_id}`) ?? [];
      const last = lastBefore(list, h);
      if (last !== null && last >= since) continue;
      const workflowId = byWorkflow ? Number(s.workflow_id) : null;
      const who = workflowId !== null ? `${s.name ?? `Workflow ${workflowId}`} (${client.name})` : client.name;
      const quietFor = last === null ? null : h - last;
      out[i]!.push({
        subject: workflowId !== null ? workflowSubject(workflowId) : clientSubject(client.id),
        clientId: client.id,
        workflowId,
        value:
          quietFor === null
            ? Math.round((quietMs + LAST_RUN_LOOKBACK_MS) / MINUTE_MS)
            : Math.round(quietFor / MINUTE_MS),
        threshold: rule.params.minutes,
        summary:
          quietFor === null
            ? `${who}: no production run for more than ${durationText(quietMs + LAST_RUN_LOOKBACK_MS)}`
            : `${who}: no production run for ${durationText(quietFor)} (silent after ${durationText(quietMs)})`,
        link:
          workflowId !== null
            ? workflowLink(client.slug, workflowId)
            : runsLink(client.slug, new Date(since), new Date(h)),
        details: { lastRunAt: last === null ? null : new Date(last).toISOString() },
      });
    }
  });
  return out;
}

/** The latest time in an ascending list that is before `t`. */
function lastBefore(list: number[], t: number): number | null {
  let found: number | null = null;
  for (const v of list) {
    if (v >= t) break;
    found = v;
  }
  return found;
}
