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
import { activeSilences, silencedBy } from "./silences";
import { step, type OpenEpisode, type StepResult } from "./state";
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
  for (const row of rows) {
    try {
      const r = await evaluateRule(db, row, opts);
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

type StoredAlert = typeof alerts.$inferSelect;

/** Why an episode is closed without a word: its subject is no longer watched by the rule. */
const UNWATCHED = "No longer watched: the client is inactive, or outside the rule's scope";

async function evaluateRule(
  db: Db,
  row: AlertRule,
  opts: { now?: Date; clientId?: number },
): Promise<{ fired: number; resolved: number; notifications: number }> {
  const counts = { fired: 0, resolved: 0, notifications: 0 };
  await db.transaction(async (tx) => {
    // The rule's row lock: evaluations of one rule (after a sync, on the minute, in another
    // process) take turns. Everything is read after it, the clock included, so a later
    // turn never works from an older measurement than an earlier one stored.
    const [locked] = await tx
      .select({ enabled: alertRules.enabled, updatedAt: alertRules.updatedAt })
      .from(alertRules)
      .where(eq(alertRules.id, row.id))
      .for("update");
    // Disabled or changed since it was listed: the next evaluation reads it as it is now.
    if (!locked || !locked.enabled || locked.updatedAt.getTime() !== row.updatedAt.getTime()) return;
    const rule = ruleToEvaluate(row);
    const now = opts.now ?? new Date();
    let targets = await targetClients(tx, rule);
    if (opts.clientId !== undefined) targets = targets.filter((c) => c.id === opts.clientId);
    const [observations = []] = await measureRule(tx, rule, targets, [now]);
    const open = await tx
      .select()
      .from(alerts)
      .where(
        and(
          eq(alerts.ruleId, rule.id),
          inArray(alerts.state, [...OPEN_ALERT_STATES]),
          // One client's evaluation steps that client's episodes only.
          opts.clientId === undefined ? undefined : eq(alerts.clientId, opts.clientId),
        ),
      );
    const clientOf = new Map(targets.map((c) => [c.id, c]));
    const bySubject = new Map(open.map((a) => [a.subject, a]));
    const observed = new Map(observations.map((o) => [o.subject, o]));
    const channelIds = (
      await tx
        .select({ id: alertRuleChannels.channelId })
        .from(alertRuleChannels)
        .where(eq(alertRuleChannels.ruleId, rule.id))
    ).map((c) => c.id);
    const silences = await activeSilences(tx, now);

    for (const subject of new Set([...bySubject.keys(), ...observed.keys()])) {
      const episode = bySubject.get(subject) ?? null;
      // An evaluation at an earlier instant than the one stored has nothing newer to say.
      if (episode && episode.lastEvaluatedAt > now) continue;
      if (episode && !clientOf.has(episode.clientId)) {
        await closeQuietly(tx, episode, now, UNWATCHED);
        continue;
      }
      const holds = observed.get(subject) ?? null;
      const s = step(rule, episode ? openEpisode(episode) : null, holds, now);
      const alertId = await storeStep(tx, rule.id, subject, episode, holds, s, now);
      if (s.events.includes("firing")) counts.fired++;
      if (s.ended === "resolved") counts.resolved++;
      const client = clientOf.get(holds?.clientId ?? episode!.clientId);
      if (!s.notify || !client || alertId === null) continue;

      const silence = silencedBy(silences, { ruleId: rule.id, clientId: client.id, labels: rule.labels });
      if (silence) {
        // An owed firing held back again is already in the history once.
        const owedAgain = episode?.state === "firing" && episode.lastNotifiedAt === null;
        if (!owedAgain)
          await tx.insert(alertEvents).values({
            alertId,
            kind: "silenced",
            at: now,
            value: holds?.value ?? episode?.value ?? null,
            message: `The ${s.notify} notification was held back by silence #${silence.id}${silence.comment ? ` (${silence.comment})` : ""}`,
          });
        // A held-back firing is owed: it goes out at the first evaluation after the silence.
        if (s.notify === "firing") await tx.update(alerts).set({ lastNotifiedAt: null }).where(eq(alerts.id, alertId));
        continue;
      }
      if (channelIds.length === 0) continue;
      const [stored] = await tx.select().from(alerts).where(eq(alerts.id, alertId));
      counts.notifications += await queueNotifications(
        tx,
        { alertId, kind: s.notify, message: await messageFor(tx, s.notify, stored!, rule, client, holds), channelIds },
        now,
      );
    }
    await tx.update(alertRules).set({ lastEvaluatedAt: now }).where(eq(alertRules.id, rule.id));
  });
  return counts;
}

function openEpisode(a: StoredAlert): OpenEpisode {
  return {
    state: a.state as OpenEpisode["state"],
    startedAt: a.startedAt,
    firedAt: a.firedAt,
    lastNotifiedAt: a.lastNotifiedAt,
    acknowledgedAt: a.acknowledgedAt,
  };
}

/** Stores what a step decided: the episode's row and its history. Returns the alert's id (null: none). */
async function storeStep(
  db: Db,
  ruleId: number,
  subject: string,
  episode: StoredAlert | null,
  holds: Observation | null,
  s: StepResult,
  now: Date,
): Promise<number | null> {
  const figure = holds ? { value: holds.value, summary: holds.summary, details: detailsOf(holds) } : {};
  let alertId: number;
  if (!episode) {
    if (!holds || !s.open) return null;
    const [created] = await db
      .insert(alerts)
      .values({
        ruleId,
        clientId: holds.clientId,
        workflowId: holds.workflowId,
        subject,
        state: s.open.state,
        threshold: holds.threshold,
        value: holds.value,
        summary: holds.summary,
        details: detailsOf(holds),
        startedAt: s.open.startedAt,
        firedAt: s.open.firedAt,
        lastEvaluatedAt: now,
        lastNotifiedAt: s.open.lastNotifiedAt,
      })
      .returning({ id: alerts.id });
    alertId = created!.id;
  } else {
    alertId = episode.id;
    await db
      .update(alerts)
      .set({
        state: s.open?.state ?? s.ended ?? episode.state,
        ...figure,
        firedAt: s.open?.firedAt ?? episode.firedAt,
        endedAt: s.open ? null : now,
        lastEvaluatedAt: now,
        lastNotifiedAt: s.open ? s.open.lastNotifiedAt : episode.lastNotifiedAt,
      })
      .where(eq(alerts.id, episode.id));
  }
  if (s.events.length > 0) {
    const value = holds?.value ?? episode?.value ?? null;
    await db.insert(alertEvents).values(
      s.events.map((kind) => ({
        alertId,
        kind,
        at: now,
        value: kind === "resolved" || kind === "ok" ? null : value,
        message: kind === "resolved" || kind === "ok" ? null : (holds?.summary ?? null),
      })),
    );
  }
  return alertId;
}

/** Ends an open episode without notifying (resolved if it fired, else ok), saying why. */
export async function closeQuietly(db: Db, a: Pick<StoredAlert, "id" | "state">, now: Date, why: string) {
  const state = a.state === "firing" ? "resolved" : "ok";
  await db.update(alerts).set({ state, endedAt: now, lastEvaluatedAt: now }).where(eq(alerts.id, a.id));
  await db.insert(alertEvents).values({ alertId: a.id, kind: state, at: now, message: why });
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
