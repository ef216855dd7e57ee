import { sql } from "drizzle-orm";
import {
  bigserial,
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import {
  ALERT_CHANNEL_KINDS,
  ALERT_EVENT_KINDS,
  ALERT_RULE_KINDS,
  ALERT_SEVERITIES,
  ALERT_STATES,
  DELIVERY_STATUSES,
  NOTIFICATION_KINDS,
  OPEN_ALERT_STATES,
} from "@/lib/core/vocabulary";
import { sqlLiterals } from "../sql-literals";
import { timestamps } from "./columns";
import { clients, workflows } from "./clients";

/* ------------------------------------------------------------------------------------
 * Alerts (lib/alerts): rules, the episodes they open per subject, their history, the
 * channels notifications go to, the delivery queue with each attempt, and silences.
 * ---------------------------------------------------------------------------------- */

export const alertRules = pgTable(
  "alert_rules",
  {
    id: serial("id").primaryKey(),
    name: text("name").notNull(),
    kind: text("kind", { enum: ALERT_RULE_KINDS }).notNull(),
    /** Null: every client, each its own subject. */
    clientId: integer("client_id").references(() => clients.id, { onDelete: "cascade" }),
    /** Only this workflow (of `clientId`); null: the kind's subjects (the client, or each workflow). */
    workflowId: integer("workflow_id").references(() => workflows.id, { onDelete: "cascade" }),
    /** The kind's parameters (lib/alerts/rules.ts), validated before every write. */
    params: jsonb("params").$type<Record<string, unknown>>().notNull(),
    severity: text("severity", { enum: ALERT_SEVERITIES }).notNull().default("warning"),
    /** How long the condition must hold before the alert fires (0: at once). */
    forSeconds: integer("for_seconds").notNull().default(0),
    /** Reminders while firing and not acknowledged; 0: none. */
    repeatSeconds: integer("repeat_seconds").notNull().default(0),
    labels: jsonb("labels")
      .$type<Record<string, string>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    enabled: boolean("enabled").notNull().default(true),
    createdBy: text("created_by"),
    lastEvaluatedAt: timestamp("last_evaluated_at", { withTimezone: true }),
    /** Why the last evaluation of this rule failed; null once one succeeds. */
    lastError: text("last_error"),
    ...timestamps,
  },
  (t) => [index("alert_rules_client_idx").on(t.clientId)],
);

export const alertChannels = pgTable("alert_channels", {
  id: serial("id").primaryKey(),
  name: text("name").notNull(),
  kind: text("kind", { enum: ALERT_CHANNEL_KINDS }).notNull(),
  /**
   * The kind's settings as AES-256-GCM ciphertext of JSON (lib/core/secrets): a webhook's
   * URL and signing secret, a Slack incoming-webhook URL (itself a credential), an
   * email's recipients. Only lib/alerts/channels decrypts it.
   */
  config: text("config").notNull(),
  /** What pages show of the target: the host and a hint, or the recipients. */
  targetHint: text("target_hint").notNull().default(""),
  enabled: boolean("enabled").notNull().default(true),
  /** Deliveries that failed for good in a row since the last one that succeeded. */
  consecutiveFailures: integer("consecutive_failures").notNull().default(0),
  lastDeliveredAt: timestamp("last_delivered_at", { withTimezone: true }),
  lastFailedAt: timestamp("last_failed_at", { withTimezone: true }),
  lastError: text("last_error"),
  ...timestamps,
});

/** Which channels a rule notifies. */
export const alertRuleChannels = pgTable(
  "alert_rule_channels",
  {
    ruleId: integer("rule_id")
      .notNull()
      .references(() => alertRules.id, { onDelete: "cascade" }),
    channelId: integer("channel_id")
      .notNull()
      .references(() => alertChannels.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.ruleId, t.channelId] })],
);

/**
 * One episode of a rule on a subject (a client, or one of its workflows): opened pending
 * when the condition first holds, firing once it has held for the rule's "for", closed
 * resolved (or ok, if it never fired) when it clears.
 */
export const alerts = pgTable(
  "alerts",
  {
    id: serial("id").primaryKey(),
    ruleId: integer("rule_id")
      .notNull()
      .references(() => alertRules.id, { onDelete: "cascade" }),
    clientId: integer("client_id")
      .notNull()
      .references(() => clients.id, { onDelete: "cascade" }),
    workflowId: integer("workflow_id").references(() => workflows.id, { onDelete: "cascade" }),
    /** "client:<id>" or "workflow:<id>": what the rule's condition was evaluated on. */
    subject: text("subject").notNull(),
    state: text("state", { enum: ALERT_STATES }).notNull(),
    /** The measured value at the last evaluation, and the threshold it was compared with. */
    value: doublePrecision("value"),
    threshold: doublePrecision("threshold"),
    /** One sentence: what holds, with the figure ("Failure rate 23% over 1 h (40 runs)"). */
    summary: text("summary").notNull(),
    details: jsonb("details").$type<Record<string, unknown>>(),
    /** When the condition was first seen to hold (pending since). */
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    firedAt: timestamp("fired_at", { withTimezone: true }),
    endedAt: timestamp("ended_at", { withTimezone: true }),
    lastEvaluatedAt: timestamp("last_evaluated_at", { withTimezone: true }).notNull(),
    /** The last firing or reminder notification (sent, or held back by a silence). */
    lastNotifiedAt: timestamp("last_notified_at", { withTimezone: true }),
    acknowledgedAt: timestamp("acknowledged_at", { withTimezone: true }),
    acknowledgedBy: text("acknowledged_by"),
  },
  (t) => [
    // The deduplication: one open episode per rule and subject, whoever evaluates.
    uniqueIndex("alerts_open_uq")
      .on(t.ruleId, t.subject)
      .where(sql`${t.state} in (${sqlLiterals(OPEN_ALERT_STATES)})`),
    index("alerts_client_started_idx").on(t.clientId, t.startedAt),
    index("alerts_rule_started_idx").on(t.ruleId, t.startedAt),
  ],
);

export const alertEvents = pgTable(
  "alert_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    alertId: integer("alert_id")
      .notNull()
      .references(() => alerts.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ALERT_EVENT_KINDS }).notNull(),
    at: timestamp("at", { withTimezone: true }).notNull(),
    value: doublePrecision("value"),
    message: text("message"),
  },
  (t) => [index("alert_events_alert_idx").on(t.alertId, t.at)],
);

/** Held-back notifications: until `endsAt`, for a client, a rule and/or labels (all given must match). */
export const alertSilences = pgTable(
  "alert_silences",
  {
    id: serial("id").primaryKey(),
    clientId: integer("client_id").references(() => clients.id, { onDelete: "cascade" }),
    ruleId: integer("rule_id").references(() => alertRules.id, { onDelete: "cascade" }),
    /** Label values an alert's rule must carry, all of them. */
    labels: jsonb("labels")
      .$type<Record<string, string>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull().defaultNow(),
    endsAt: timestamp("ends_at", { withTimezone: true }).notNull(),
    comment: text("comment").notNull().default(""),
    createdBy: text("created_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("alert_silences_ends_idx").on(t.endsAt)],
);

/**
 * The delivery queue: one row per notification and channel, written in the transaction
 * that changed the alert, delivered after it (never inside a sync), retried with backoff.
 */
export const alertNotifications = pgTable(
  "alert_notifications",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    /** Null for a channel's test notification. */
    alertId: integer("alert_id").references(() => alerts.id, { onDelete: "cascade" }),
    channelId: integer("channel_id")
      .notNull()
      .references(() => alertChannels.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: NOTIFICATION_KINDS }).notNull(),
    /** The message as rendered when it was queued (lib/alerts/message.ts). */
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    status: text("status", { enum: DELIVERY_STATUSES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    /** Held by a deliverer until then (a lease): a killed one's rows are picked up again after. */
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
  },
  (t) => [
    index("alert_notifications_due_idx")
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'pending'`),
    index("alert_notifications_channel_idx").on(t.channelId, t.createdAt),
    index("alert_notifications_alert_idx").on(t.alertId),
  ],
);

export const alertDeliveryAttempts = pgTable(
  "alert_delivery_attempts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    notificationId: bigint("notification_id", { mode: "number" })
      .notNull()
      .references(() => alertNotifications.id, { onDelete: "cascade" }),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    ok: boolean("ok").notNull(),
    /** The receiver's HTTP status (webhook, Slack) or SMTP reply code; null when none came. */
    statusCode: integer("status_code"),
    error: text("error"),
    durationMs: integer("duration_ms").notNull(),
  },
  (t) => [index("alert_delivery_attempts_notification_idx").on(t.notificationId, t.at)],
);

export type AlertRule = typeof alertRules.$inferSelect;
export type NewAlertRule = typeof alertRules.$inferInsert;
export type AlertChannel = typeof alertChannels.$inferSelect;
export type Alert = typeof alerts.$inferSelect;
export type AlertEvent = typeof alertEvents.$inferSelect;
export type AlertSilence = typeof alertSilences.$inferSelect;
export type AlertNotification = typeof alertNotifications.$inferSelect;
