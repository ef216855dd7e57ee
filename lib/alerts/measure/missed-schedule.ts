/**
 * Missed schedules, per active workflow with a Schedule Trigger: fewer runs started by
 * its trigger in the trailing window than its trigger rules say (lib/alerts/
 * schedule-trigger.ts reads them from the workflow's nodes; forms it does not understand
 * are listed as ignored, never guessed). The window ends where the client's data ends;
 * a run may start up to a minute after it is due, so the runs due are shifted by that.
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
import { lowerBound, TimeSums } from "./sorted";

/** Due times expanded per workflow at most: 37 days of a schedule every few seconds. */
const MAX_DUE = 1_000_000;

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
  const clientZone = new Map(targets.map((c) => [c.id, c.timeZone]));
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
  const points = new Map<number, Array<{ at: number; amount: number }>>();
  for (const r of rows) {
    const list = points.get(Number(r.workflow_id)) ?? [];
    list.push({ at: Date.parse(isoTime(r.minute as Date | string)), amount: Number(r.n) });
    points.set(Number(r.workflow_id), list);
  }
  const runs = new Map([...points].map(([id, list]) => [id, new TimeSums(list)]));
  // Each workflow's due times over the whole span, expanded once; a window is then a count.
  const due = new Map(
    scheduled.map((w) => [
      w.id,
      expectedRunTimes(
        w.triggers,
        w.timeZone ?? clientZone.get(w.clientId) ?? "UTC",
        new Date(lo.getTime() - START_SLACK_MS),
        hi,
        MAX_DUE,
      ).map((d) => d.getTime()),
    ]),
  );
  const clientOf = new Map(targets.map((c) => [c.id, c]));

  times.forEach((_, i) => {
    for (const w of scheduled) {
      const client = clientOf.get(w.clientId);
      const h = horizons[i]!.get(w.clientId);
      if (!client || h === null || h === undefined) continue;
      const from = h - windowMs;
      // A run due at x starts within [x, x + slack): runs in [from, h) answer the runs due in
      // [from - slack, h - slack).
      const times = due.get(w.id) ?? [];
      const expected = lowerBound(times, h - START_SLACK_MS) - lowerBound(times, from - START_SLACK_MS);
      if (expected === 0) continue;
      const ran = runs.get(w.id)?.sum(from, h) ?? 0;
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
