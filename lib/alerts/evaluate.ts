/**
 * Evaluates alert rules now: measures each rule (lib/alerts/measure), steps every
 * subject's episode through the state machine (state.ts), stores the episodes and their
 * history, and queues the notifications it decides (held back by a silence, recorded
 * as such). Runs after every sync of a client (that client's rules) and every minute
 * (all of them, for conditions that change with time alone). Delivery is the queue's
 * job (delivery/queue.ts): evaluating never waits for a receiver.
 */
import { and, eq, inArray, isNull, or } from "drizzle-orm";
import type { Db } from "@/lib/db/database";
import { alertEvents, alertRuleChannels, alertRules, alerts, workflows, type AlertRule } from "@/lib/db/schema";
import { OPEN_ALERT_STATES, type NotificationKind } from "@/lib/core/vocabulary";
import { logError } from "@/lib/core/log";
import { describeError } from "@/lib/core/describe-error";
import { queueNotifications } from "./delivery/queue";
import { buildAlertMessage } from "./message";
import { measureRule, targetClients } from "./measure";
import { AlertParams } from "./rules";
import { activeSilences, silencedBy, type ActiveSilence } from "./silences";
import { step, type OpenEpisode } from "./state";
import type { ClientTarget, Observation, RuleToEvaluate } from "./types";

export interface EvaluationResult {
  rules: number;
  /** Rules whose evaluation failed (each keeps its error in alert_rules.last_error). */
  failed: number;
  fired: number;
  resolved: number;
  notifications: number;
}

/** A stored rule as the evaluator and the backtest read it. */
export function ruleToEvaluate(row: AlertRule): RuleToEvaluate {
  return {
    id: row.id,
    name: row.name,
    clientId: row.clientId,
    workflowId: row.workflowId,
    params: AlertParams.parse(row.params),
    severity: row.severity,
    forSeconds: row.forSeconds,
    repeatSeconds: row.repeatSeconds,
    labels: row.labels,
  };
}

/**
 * Evaluates the enabled rules at `now`: all of them, or only those that watch `clientId`
 * (its own and the all-clients rules, on that client alone). One rule failing is recorded
 * on it and the others still run.
 */
export async function evaluateAlerts(db: Db, opts: { now?: Date; clientId?: number } = {}): Promise<EvaluationResult> {
  const now = opts.now ?? new Date();
  const rows = await db
    .select()
    .from(alertRules)
    .where(
      and(
        eq(alertRules.enabled, true),
        opts.clientId === undefined
          ? undefined
          : or(eq(alertRules.clientId, opts.clientId), isNull(alertRules.clientId)),
      ),
    )
    .orderBy(alertRules.id);
  const result: EvaluationResult = { rules: rows.length, failed: 0, fired: 0, resolved: 0, notifications: 0 };
  if (rows.length === 0) return result;
  const silences = await activeSilences(db, now);
  for (const row of rows) {
    try {
      const r = await evaluateRule(db, ruleToEvaluate(row), now, silences, opts.clientId);
      result.fired += r.fired;
      result.resolved += r.resolved;
      result.notifications += r.notifications;
      if (row.lastError !== null) await db.update(alertRules).set({ lastError: null }).where(eq(alertRules.id, row.id));
    } catch (err) {
      result.failed++;
      logError(`[alerts] rule ${row.id} could not be evaluated`, err);
      await db
        .update(alertRules)
        .set({ lastError: describeError(err).message })
        .where(eq(alertRules.id, row.id));
    }
  }
  return result;
}

async function evaluateRule(
  db: Db,
  rule: RuleToEvaluate,
  now: Date,
  silences: ActiveSilence[],
  onlyClientId: number | undefined,
): Promise<{ fired: number; resolved: number; notifications: number }> {
  let targets = await targetClients(db, rule);
  if (onlyClientId !== undefined) targets = targets.filter((c) => c.id === onlyClientId);
  const [observations = []] = await measureRule(db, rule, targets, [now]);
  const clientIds = targets.map((c) => c.id);
  const counts = { fired: 0, resolved: 0, notifications: 0 };

  await db.transaction(async (tx) => {
    // The rule's row lock: evaluations of one rule (after a sync, on the minute, in another
    // process) take turns, so an episode is stepped once per evaluation.
    const [locked] = await tx
      .select({ id: alertRules.id })
      .from(alertRules)
      .where(eq(alertRules.id, rule.id))
      .for("update");
    if (!locked) return;

    const open =
      clientIds.length === 0
        ? []
        : await tx
            .select()
            .from(alerts)
            .where(
              and(
                eq(alerts.ruleId, rule.id),
                inArray(alerts.state, [...OPEN_ALERT_STATES]),
                inArray(alerts.clientId, clientIds),
              ),
            );
    const bySubject = new Map(open.map((a) => [a.subject, a]));
    const observed = new Map(observations.map((o) => [o.subject, o]));
    const subjects = new Set([...bySubject.keys(), ...observed.keys()]);
    const channelIds = (
      await tx
        .select({ id: alertRuleChannels.channelId })
        .from(alertRuleChannels)
        .where(eq(alertRuleChannels.ruleId, rule.id))
    ).map((c) => c.id);
    const clientOf = new Map(targets.map((c) => [c.id, c]));

    for (const subject of subjects) {
      const episode = bySubject.get(subject) ?? null;
      // An evaluation that measured before another stored after it has nothing newer to say.
      if (episode && episode.lastEvaluatedAt > now) continue;
      const holds = observed.get(subject) ?? null;
      const prev: OpenEpisode | null = episode
        ? {
            state: episode.state as OpenEpisode["state"],
            startedAt: episode.startedAt,
            firedAt: episode.firedAt,
            lastNotifiedAt: episode.lastNotifiedAt,
            acknowledgedAt: episode.acknowledgedAt,
          }
        : null;
      const s = step(rule, prev, holds, now);
      if (s.events.length === 0) {
        // Nothing changed state: keep the figure current.
        if (episode && holds) {
          await tx
            .update(alerts)
            .set({ value: holds.value, summary: holds.summary, details: detailsOf(holds), lastEvaluatedAt: now })
            .where(eq(alerts.id, episode.id));
        }
        continue;
      }
      const client = clientOf.get(holds?.clientId ?? episode!.clientId);
      let alertId: number;
      if (!episode) {
        const o = holds!;
        const [created] = await tx
          .insert(alerts)
          .values({
            ruleId: rule.id,
            clientId: o.clientId,
            workflowId: o.workflowId,
            subject,
            state: s.open!.state,
            value: o.value,
            threshold: o.threshold,
            summary: o.summary,
            details: detailsOf(o),
            startedAt: s.open!.startedAt,
            firedAt: s.open!.firedAt,
            lastEvaluatedAt: now,
            lastNotifiedAt: s.open!.lastNotifiedAt,
          })
          .returning({ id: alerts.id });
        alertId = created!.id;
      } else {
        alertId = episode.id;
        await tx
          .update(alerts)
          .set({
            state: s.open?.state ?? s.ended!,
            ...(holds ? { value: holds.value, summary: holds.summary, details: detailsOf(holds) } : {}),
            firedAt: s.open?.firedAt ?? episode.firedAt,
            endedAt: s.open ? null : now,
            lastEvaluatedAt: now,
            lastNotifiedAt: s.open?.lastNotifiedAt ?? episode.lastNotifiedAt,
          })
          .where(eq(alerts.id, episode.id));
      }
      const value = holds?.value ?? episode?.value ?? null;
      await tx.insert(alertEvents).values(
        s.events.map((kind) => ({
          alertId,
          kind,
          at: now,
          value: kind === "resolved" || kind === "ok" ? null : value,
          message: kind === "resolved" || kind === "ok" ? null : (holds?.summary ?? null),
        })),
      );
      if (s.events.includes("firing")) counts.fired++;
      if (s.ended === "resolved") counts.resolved++;
      if (!s.notify || !client) continue;

      const silence = silencedBy(silences, { ruleId: rule.id, clientId: client.id, labels: rule.labels });
      if (silence) {
        await tx.insert(alertEvents).values({
          alertId,
          kind: "silenced",
          at: now,
          value,
          message: `The ${s.notify} notification was held back by silence #${silence.id}${silence.comment ? ` (${silence.comment})` : ""}`,
        });
        continue;
      }
      if (channelIds.length === 0) continue;
      const [stored] = await tx.select().from(alerts).where(eq(alerts.id, alertId));
      counts.notifications += await queueNotifications(
        tx,
        {
          alertId,
          kind: s.notify,
          message: await messageFor(tx, s.notify, stored!, rule, client, holds),
          channelIds,
        },
        now,
      );
    }
    await tx.update(alertRules).set({ lastEvaluatedAt: now }).where(eq(alertRules.id, rule.id));
  });
  return counts;
}

function detailsOf(o: Observation): Record<string, unknown> {
  return { ...(o.details ?? {}), link: o.link };
}

async function messageFor(
  db: Db,
  kind: Exclude<NotificationKind, "test">,
  alert: typeof alerts.$inferSelect,
  rule: RuleToEvaluate,
  client: ClientTarget,
  holds: Observation | null,
) {
  const workflow =
    alert.workflowId === null
      ? null
      : ((
          await db
            .select({ id: workflows.id, name: workflows.name })
            .from(workflows)
            .where(eq(workflows.id, alert.workflowId))
        )[0] ?? null);
  const link = holds?.link ?? (typeof alert.details?.link === "string" ? alert.details.link : `/alerts/${alert.id}`);
  return buildAlertMessage({
    kind,
    alert: {
      id: alert.id,
      state: alert.state,
      summary: alert.summary,
      value: alert.value,
      threshold: alert.threshold,
      startedAt: alert.startedAt,
      firedAt: alert.firedAt,
      endedAt: alert.endedAt,
    },
    rule: { id: rule.id, name: rule.name, kind: rule.params.kind, severity: rule.severity, labels: rule.labels },
    client,
    workflow,
    linkPath: link,
  });
}
