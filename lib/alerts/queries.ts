/**
 * Alerts as people read them: the list (what is firing, since when, the figure and its
 * link), one alert with its history and deliveries, the bell's count, acknowledgement,
 * and the history as CSV rows. Client users see their own client's alerts only; the
 * caller passes the client scope (null: every client).
 */
import { and, count, desc, eq, gte, inArray, lt, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/lib/db/database";
import { alertEvents, alertRules, alerts, clients, workflows } from "@/lib/db/schema";
import { ALERT_STATES, ALERT_SEVERITIES, type AlertState } from "@/lib/core/vocabulary";
import { AppError } from "@/lib/core/errors";
import { z } from "zod";
import { AlertInstant, MAX_ID } from "./rules";

export const AlertListQuery = z.object({
  state: z
    .string()
    .transform((s) => s.split(",").map((v) => v.trim()))
    .pipe(z.array(z.enum(ALERT_STATES)).min(1))
    .optional()
    .meta({ description: `Comma-separated: ${ALERT_STATES.join(", ")}. Default: every state.` }),
  clientId: z.coerce.number().int().positive().max(MAX_ID).optional(),
  ruleId: z.coerce.number().int().positive().max(MAX_ID).optional(),
  severity: z.enum(ALERT_SEVERITIES).optional(),
  /** Alerts that started at or after this instant, and before `until`. */
  since: AlertInstant.optional(),
  until: AlertInstant.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export type AlertListQuery = z.infer<typeof AlertListQuery>;

export interface AlertView {
  id: number;
  ruleId: number;
  ruleName: string;
  kind: string;
  severity: string;
  labels: Record<string, string>;
  clientId: number;
  clientName: string;
  clientSlug: string;
  workflowId: number | null;
  workflowName: string | null;
  subject: string;
  state: AlertState;
  value: number | null;
  threshold: number | null;
  summary: string;
  /** An app path to the runs behind the figure. */
  link: string | null;
  startedAt: string;
  firedAt: string | null;
  endedAt: string | null;
  lastEvaluatedAt: string;
  lastNotifiedAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

function selectAlerts(db: Db, where: SQL | undefined, limit: number) {
  return (
    db
      .select({
        alert: alerts,
        ruleName: alertRules.name,
        kind: alertRules.kind,
        severity: alertRules.severity,
        labels: alertRules.labels,
        clientName: clients.name,
        clientSlug: clients.slug,
        workflowName: workflows.name,
      })
      .from(alerts)
      .innerJoin(alertRules, eq(alertRules.id, alerts.ruleId))
      .innerJoin(clients, eq(clients.id, alerts.clientId))
      .leftJoin(workflows, eq(workflows.id, alerts.workflowId))
      .where(where)
      // Firing first, then pending, then the ended ones, before the limit: an old firing
      // alert never falls off the list behind newer ended ones.
      .orderBy(
        sql`case ${alerts.state} when 'firing' then 0 when 'pending' then 1 else 2 end`,
        desc(alerts.startedAt),
        desc(alerts.id),
      )
      .limit(limit)
  );
}

type AlertRow = Awaited<ReturnType<typeof selectAlerts>>[number];

function toView(r: AlertRow): AlertView {
  const a = r.alert;
  return {
    id: a.id,
    ruleId: a.ruleId,
    ruleName: r.ruleName,
    kind: r.kind,
    severity: r.severity,
    labels: r.labels,
    clientId: a.clientId,
    clientName: r.clientName,
    clientSlug: r.clientSlug,
    workflowId: a.workflowId,
    workflowName: r.workflowName,
    subject: a.subject,
    state: a.state,
    value: a.value,
    threshold: a.threshold,
    summary: a.summary,
    link: typeof a.details?.link === "string" ? a.details.link : null,
    startedAt: a.startedAt.toISOString(),
    firedAt: iso(a.firedAt),
    endedAt: iso(a.endedAt),
    lastEvaluatedAt: a.lastEvaluatedAt.toISOString(),
    lastNotifiedAt: iso(a.lastNotifiedAt),
    acknowledgedAt: iso(a.acknowledgedAt),
    acknowledgedBy: a.acknowledgedBy,
  };
}

/** Alerts matching the query, within `scope` (a client user's client; null: all). */
export async function listAlerts(db: Db, q: AlertListQuery, scope: number | null): Promise<AlertView[]> {
  const where = and(
    scope === null ? undefined : eq(alerts.clientId, scope),
    q.clientId === undefined ? undefined : eq(alerts.clientId, q.clientId),
    q.ruleId === undefined ? undefined : eq(alerts.ruleId, q.ruleId),
    q.severity === undefined ? undefined : eq(alertRules.severity, q.severity),
    q.state === undefined ? undefined : inArray(alerts.state, q.state),
    q.since === undefined ? undefined : gte(alerts.startedAt, q.since),
    q.until === undefined ? undefined : lt(alerts.startedAt, q.until),
  );
  return (await selectAlerts(db, where, q.limit)).map(toView);
}

export function alertNotFound(id: number): AppError {
  return new AppError("not_found", `Alert ${id} not found`);
}

/** One alert within `scope`, with its history oldest first. */
export async function getAlert(db: Db, id: number, scope: number | null) {
  const [row] = await selectAlerts(
    db,
    and(eq(alerts.id, id), scope === null ? undefined : eq(alerts.clientId, scope)),
    1,
  );
  if (!row) throw alertNotFound(id);
  const events = await db
    .select({
      id: alertEvents.id,
      kind: alertEvents.kind,
      at: alertEvents.at,
      value: alertEvents.value,
      message: alertEvents.message,
    })
    .from(alertEvents)
    .where(eq(alertEvents.alertId, id))
    .orderBy(alertEvents.at, alertEvents.id);
  return {
    alert: toView(row),
    details: row.alert.details ?? {},
    events: events.map((e) => ({ ...e, at: e.at.toISOString() })),
  };
}

/** Firing alerts the viewer may see: the header bell. */
export async function firingCount(db: Db, scope: number | null): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(alerts)
    .where(and(eq(alerts.state, "firing"), scope === null ? undefined : eq(alerts.clientId, scope)));
  return Number(row?.n ?? 0);
}

/**
 * Acknowledges a firing alert: no more reminders until it resolves (a new episode
 * notifies again). Acknowledging twice keeps the first.
 */
export async function acknowledgeAlert(db: Db, id: number, by: string, now = new Date()) {
  const [row] = await db
    .select({ state: alerts.state, ackAt: alerts.acknowledgedAt })
    .from(alerts)
    .where(eq(alerts.id, id));
  if (!row) throw alertNotFound(id);
  if (row.state !== "firing" && row.state !== "pending")
    throw new AppError("conflict", `Alert ${id} is ${row.state}: only an open alert can be acknowledged`);
  if (row.ackAt === null) {
    await db.transaction(async (tx) => {
      await tx.update(alerts).set({ acknowledgedAt: now, acknowledgedBy: by }).where(eq(alerts.id, id));
      await tx
        .insert(alertEvents)
        .values({ alertId: id, kind: "acknowledged", at: now, message: `Acknowledged by ${by}` });
    });
  }
  return getAlert(db, id, null);
}

/** The history as CSV rows: one row per event of the listed alerts. */
export async function alertHistoryRows(db: Db, q: AlertListQuery, scope: number | null) {
  const list = await listAlerts(db, q, scope);
  if (list.length === 0) return [];
  const events = await db
    .select()
    .from(alertEvents)
    .where(
      inArray(
        alertEvents.alertId,
        list.map((a) => a.id),
      ),
    )
    .orderBy(alertEvents.at, alertEvents.id);
  const byId = new Map(list.map((a) => [a.id, a]));
  return events.map((e) => {
    const a = byId.get(e.alertId)!;
    return {
      at: e.at.toISOString(),
      event: e.kind,
      alertId: a.id,
      rule: a.ruleName,
      kind: a.kind,
      severity: a.severity,
      client: a.clientName,
      workflow: a.workflowName ?? "",
      value: e.value,
      message: e.message ?? "",
      alertState: a.state,
    };
  });
}
