/**
 * Missed schedules, per active workflow with a Schedule Trigger: fewer runs started by
 * its trigger in the trailing window than its trigger rules say (lib/alerts/
 * schedule-trigger.ts reads them from the workflow's nodes; forms it does not understand
 * are listed as ignored, never guessed). The window ends where the client's data ends,
 * less a minute, so a run due at that instant is not counted missing before it starts.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import { isoTime, queryRows, ts, type Db } from "@/lib/db/database";
import { workflows } from "@/lib/db/schema";
import { arrayParam } from "@/lib/db/sql-literals";
import { MINUTE_MS } from "@/lib/core/time";
import type { ParamsOf } from "../rules";
import { expectedRunTimes } from "../schedule-trigger";
import { workflowSubject } from "../subject";
import type { ClientTarget, Measurements, RuleToEvaluate } from "../types";
import { dataHorizon, durationText, runsLink, type SyncHistory } from "./context";

/** How late a scheduled run may start and still count for its slot. */
const START_SLACK_MS = MINUTE_MS;

export async function measureMissedSchedule(
  db: Db,
  rule: RuleToEvaluate & { params: ParamsOf<"missed_schedule"> },
  targets: ClientTarget[],
  syncs: Map<number, SyncHistory>,
  times: Date[],
): Promise<Measurements> {
  const out: Measurements = times.map(() => []);
  if (targets.length === 0) return out;
  const windowMs = rule.params.windowMinutes * MINUTE_MS;
  const scheduled = await db
    .select({
      id: workflows.id,
      clientId: workflows.clientId,
      name: workflows.name,
      triggers: workflows.scheduleTriggers,
      timeZone: workflows.timeZone,
    })
    .from(workflows)
    .where(
      and(
        inArray(
          workflows.clientId,
          targets.map((c) => c.id),
        ),
        eq(workflows.active, true),
        eq(workflows.isArchived, false),
        sql`jsonb_array_length(${workflows.scheduleTriggers}) > 0`,
        rule.workflowId === null ? undefined : eq(workflows.id, rule.workflowId),
      ),
    );
  if (scheduled.length === 0) return out;
  const horizons = times.map((t) => new Map(targets.map((c) => [c.id, dataHorizon(syncs.get(c.id), t.getTime())])));
  const all = horizons.flatMap((m) => [...m.values()]).filter((h): h is number => h !== null);
  if (all.length === 0) return out;
  const lo = new Date(Math.min(...all) - windowMs);
  const hi = new Date(Math.max(...all));
  // Trigger-started runs of these workflows, per workflow and minute: the window's count at any instant.
  const rows = await queryRows<{ workflow_id: number; minute: unknown; n: unknown }>(
    db,
    sql`select workflow_id, date_trunc('minute', started_at) as minute, count(*)::int as n from executions
      where client_id = any(${arrayParam(targets.map((c) => c.id))}::int[])
        and workflow_id = any(${arrayParam(scheduled.map((w) => w.id))}::int[])
        and mode = 'trigger' and started_at >= ${ts(lo)} and started_at < ${ts(hi)}
      group by 1, 2`,
  );
  const runs = new Map<number, Array<{ at: number; n: number }>>();
  for (const r of rows) {
    const list = runs.get(Number(r.workflow_id)) ?? [];
    list.push({ at: Date.parse(isoTime(r.minute as Date | string)), n: Number(r.n) });
    runs.set(Number(r.workflow_id), list);
  }
  const clientOf = new Map(targets.map((c) => [c.id, c]));

  times.forEach((_, i) => {
    for (const w of scheduled) {
      const client = clientOf.get(w.clientId);
      const h = horizons[i]!.get(w.clientId);
      if (!client || h === null || h === undefined) continue;
      const from = h - windowMs;
      const expected = expectedRunTimes(
        w.triggers,
        w.timeZone ?? client.timeZone,
        new Date(from),
        new Date(h - START_SLACK_MS),
      ).length;
      if (expected === 0) continue;
      const ran = (runs.get(w.id) ?? []).filter((m) => m.at >= from && m.at < h).reduce((n, m) => n + m.n, 0);
      const missed = expected - ran;
      if (missed <= rule.params.tolerance) continue;
      out[i]!.push({
        subject: workflowSubject(w.id),
        clientId: client.id,
        workflowId: w.id,
        value: ran,
        threshold: expected,
        summary: `${w.name} (${client.name}): ${ran} of ${expected} scheduled runs started in the last ${durationText(windowMs)}`,
        link: runsLink(client.slug, new Date(from), new Date(h), { workflowId: w.id }),
        details: { expected, ran, missed },
      });
    }
  });
  return out;
}
