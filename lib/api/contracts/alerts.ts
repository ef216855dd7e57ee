/** Alerts: the alert list and history, rules with their backtest, channels and silences. */
import { z } from "zod";
import { defineContract } from "@/lib/api/contract";
import { idParam } from "@/lib/metrics/params";
import { AlertRuleInput } from "@/lib/alerts/rules";
import { AlertListQuery } from "@/lib/alerts/queries";
import { BACKTEST_DAYS } from "@/lib/alerts/backtest";
import { ChannelInput, ChannelPatch, ChannelView, SavedChannel } from "@/lib/alerts/channels";
import { SilenceInput } from "@/lib/alerts/silences";

const AlertPath = z.object({ alertId: idParam("The alert's id.") });
const RulePath = z.object({ id: idParam("The alert rule's id.") });
const ChannelPath = z.object({ id: idParam("The channel's id.") });
const SilencePath = z.object({ id: idParam("The silence's id.") });

const EXAMPLE_RULE = {
  name: "Failure rate above 20%",
  params: { kind: "failure_rate", thresholdPct: 20, windowMinutes: 60, minRuns: 10 },
  severity: "critical",
  forSeconds: 300,
  repeatSeconds: 14_400,
};

const KINDS_NOTE =
  "Kinds and their `params`: `failure_rate` {thresholdPct, windowMinutes, minRuns, per}; `failures` {count, windowMinutes, per}; " +
  "`latency` {percentile p50|p95|p99, thresholdMs, windowMinutes, minRuns, per}; `silence` {minutes, per}; " +
  "`missed_schedule` {windowMinutes, tolerance}; `stuck` {runningMinutes, waitingGraceMinutes}; " +
  "`stale_data` {maxAgeMinutes, failedSyncs}; `coverage` {windowMinutes, minMissing}; " +
  "`llm_cost` {budgetUsd, period day|month, forecast}; `anomaly` {metrics [volume, failure_rate], windowMinutes}. " +
  "`per`: `client` (the client's production runs together) or `workflow` (each workflow apart). " +
  "`clientId` null watches every client, each its own subject; `workflowId` (with `clientId`) one workflow. " +
  "`forSeconds`: how long the condition must hold before the alert fires; `repeatSeconds`: reminders while it fires (0: none, else at least 300).";

// ---- alerts --------------------------------------------------------------------------

export const alertList = defineContract({
  method: "GET",
  path: "/api/v1/alerts",
  tag: "alerts",
  summary: "Alerts: firing first, then pending, then ended ones",
  description:
    "Each alert is one episode of a rule on a subject (a client, or one of its workflows): `state` pending (the condition holds, not yet for the rule's `for`), firing, resolved, or ok (cleared before it fired). " +
    "`value` and `threshold` are the figure that made it fire; `link` an app path to the runs behind it. Client users and client tokens see their own client's alerts only. " +
    "`format=csv` gives the same rows.",
  access: "viewer",
  query: AlertListQuery,
  csv: true,
  client: "query",
  example: { query: { clientId: ":client", state: "firing,pending" } },
});

export const alertHistory = defineContract({
  method: "GET",
  path: "/api/v1/alerts/history",
  tag: "alerts",
  summary: "The history of the listed alerts, one row per event",
  description:
    "Events: pending, firing, reminder, resolved, ok, acknowledged, silenced (a notification held back by a silence), oldest first. Takes the list's filters. `format=csv` for a spreadsheet.",
  access: "viewer",
  query: AlertListQuery,
  csv: true,
  client: "query",
  example: { query: { clientId: ":client", since: "2026-01-01T00:00:00Z" } },
});

export const alertCount = defineContract({
  method: "GET",
  path: "/api/v1/alerts/count",
  tag: "alerts",
  summary: "How many alerts are firing, of those the caller may see (the header's bell)",
  access: "viewer",
  response: { name: "AlertCount", schema: z.object({ firing: z.number().int() }) },
  example: {},
});

export const alertGet = defineContract({
  method: "GET",
  path: "/api/v1/alerts/{alertId}",
  tag: "alerts",
  summary: "One alert with its history, and (for operators) its notifications and their attempts",
  description: "404 for an unknown alert, and for a client user, for another client's.",
  access: "viewer",
  pathParams: AlertPath,
  example: { pathParams: { alertId: ":alert" } },
});

export const alertAcknowledge = defineContract({
  method: "POST",
  path: "/api/v1/alerts/{alertId}/acknowledge",
  tag: "alerts",
  summary: "Acknowledge an open alert: no more reminders until it resolves",
  description: "409 for an alert that has ended. Acknowledging again keeps the first acknowledgement.",
  access: "operator",
  pathParams: AlertPath,
  example: { pathParams: { alertId: ":alert" } },
});

export const alertsEvaluate = defineContract({
  method: "POST",
  path: "/api/v1/alerts/evaluate",
  tag: "alerts",
  summary: "Evaluate every enabled rule now and deliver due notifications",
  description:
    "What the every-minute job does, run now; answers with the counts (rules, failed, fired, resolved, notifications queued; delivered, retrying, failed).",
  access: "admin",
  example: {},
});

// ---- rules ---------------------------------------------------------------------------

export const alertRules = defineContract({
  method: "GET",
  path: "/api/v1/alerts/rules",
  tag: "alerts",
  summary: "Every alert rule",
  access: "operator",
  example: {},
});

export const alertRuleCreate = defineContract({
  method: "POST",
  path: "/api/v1/alerts/rules",
  tag: "alerts",
  summary: "Create an alert rule",
  description: `${KINDS_NOTE} A client, workflow or channel that does not exist is a 400 naming the field.`,
  access: "admin",
  body: AlertRuleInput,
  status: 201,
  example: { body: EXAMPLE_RULE },
});

export const alertRuleGet = defineContract({
  method: "GET",
  path: "/api/v1/alerts/rules/{id}",
  tag: "alerts",
  summary: "One alert rule",
  access: "operator",
  pathParams: RulePath,
  example: { pathParams: { id: ":rule" } },
});

export const alertRuleUpdate = defineContract({
  method: "PUT",
  path: "/api/v1/alerts/rules/{id}",
  tag: "alerts",
  summary: "Replace an alert rule",
  description: `The whole rule, as for create. Its open alerts are judged by the new condition at the next evaluation. ${KINDS_NOTE}`,
  access: "admin",
  pathParams: RulePath,
  body: AlertRuleInput,
  example: { pathParams: { id: ":rule" }, body: EXAMPLE_RULE },
});

export const alertRuleEnable = defineContract({
  method: "PATCH",
  path: "/api/v1/alerts/rules/{id}",
  tag: "alerts",
  summary: "Enable or disable an alert rule",
  description:
    "A disabled rule is not evaluated; its open alerts stay as they are until it is enabled again or deleted.",
  access: "admin",
  pathParams: RulePath,
  body: z.object({ enabled: z.boolean() }).strict(),
  example: { pathParams: { id: ":rule" }, body: { enabled: false } },
});

export const alertRuleDelete = defineContract({
  method: "DELETE",
  path: "/api/v1/alerts/rules/{id}",
  tag: "alerts",
  summary: "Delete an alert rule with its alerts and their history",
  access: "admin",
  pathParams: RulePath,
  example: { pathParams: { id: ":rule" } },
});

export const alertRuleBacktest = defineContract({
  method: "POST",
  path: "/api/v1/alerts/rules/backtest",
  tag: "alerts",
  summary: "Try a rule against the stored history before saving it",
  description:
    "How often the rule would have fired and resolved over the last 7 or 30 days: the rule is measured at every step of the span (5 minutes over 7 days, 15 over 30) and the state machine replayed over it, as the evaluator would have run. " +
    "Answers `{from, to, stepMinutes, steps, fired, resolved, notifications: {firing, reminder, resolved}, episodes: [{subject, clientId, workflowId, startedAt, firedAt, endedAt, state, summary, peakValue}]}`. Nothing is saved; silences are not applied.",
  access: "admin",
  body: z.object({ rule: AlertRuleInput, days: z.union(BACKTEST_DAYS.map((d) => z.literal(d))).default(7) }).strict(),
  example: { body: { rule: EXAMPLE_RULE, days: 7 } },
});

// ---- channels ------------------------------------------------------------------------

export const alertChannels = defineContract({
  method: "GET",
  path: "/api/v1/alerts/channels",
  tag: "alerts",
  summary: "Every notification channel, with its health",
  description:
    "Never a URL or a secret: `targetHint` shows where it goes. `health`: ok, failing (its last delivery failed for good; `lastError` says why) or untested.",
  access: "admin",
  response: { name: "ChannelList", schema: z.object({ channels: z.array(ChannelView) }) },
  example: {},
});

export const alertChannelCreate = defineContract({
  method: "POST",
  path: "/api/v1/alerts/channels",
  tag: "alerts",
  summary: "Create a channel: a webhook, a Slack incoming webhook, or email",
  description:
    '`webhook`: `url`, optional `signingSecret` (made when omitted, and shown once in this answer). Each POST carries `x-flowscope-timestamp` and `x-flowscope-signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`. ' +
    "`slack`: an https incoming-webhook `url`. `email`: `to` (1 to 20 addresses), sent over SMTP_URL from ALERT_FROM. " +
    "URLs are refused when they point at link-local or cloud metadata addresses, and at private ones unless ALERT_ALLOW_PRIVATE_HOSTS allows them.",
  access: "admin",
  body: ChannelInput,
  status: 201,
  response: { name: "SavedChannel", schema: SavedChannel },
  example: { body: { name: "Ops email", kind: "email", to: ["ops@example.test"] } },
});

export const alertChannelGet = defineContract({
  method: "GET",
  path: "/api/v1/alerts/channels/{id}",
  tag: "alerts",
  summary: "One channel and its recent deliveries with each attempt",
  access: "admin",
  pathParams: ChannelPath,
  example: { pathParams: { id: ":channel" } },
});

export const alertChannelUpdate = defineContract({
  method: "PATCH",
  path: "/api/v1/alerts/channels/{id}",
  tag: "alerts",
  summary: "Change a channel",
  description: "Only the given fields change; an omitted URL or secret keeps the stored one.",
  access: "admin",
  pathParams: ChannelPath,
  body: ChannelPatch,
  example: { pathParams: { id: ":channel" }, body: { name: "Renamed channel" } },
});

export const alertChannelDelete = defineContract({
  method: "DELETE",
  path: "/api/v1/alerts/channels/{id}",
  tag: "alerts",
  summary: "Delete a channel; rules stop notifying it",
  access: "admin",
  pathParams: ChannelPath,
  example: { pathParams: { id: ":channel" } },
});

export const alertChannelTest = defineContract({
  method: "POST",
  path: "/api/v1/alerts/channels/{id}/test",
  tag: "alerts",
  summary: "Send a test notification now",
  description:
    "Delivers one test message at once and answers with that attempt (`ok`, `statusCode`, `error`). A failed test is retried like any notification.",
  access: "admin",
  pathParams: ChannelPath,
  example: { pathParams: { id: ":channel" } },
});

// ---- silences ------------------------------------------------------------------------

export const alertSilences = defineContract({
  method: "GET",
  path: "/api/v1/alerts/silences",
  tag: "alerts",
  summary: "Silences: active, pending and expired",
  access: "operator",
  example: {},
});

export const alertSilenceCreate = defineContract({
  method: "POST",
  path: "/api/v1/alerts/silences",
  tag: "alerts",
  summary: "Silence notifications until a time",
  description:
    "Names a client, a rule and/or label values (all must match; at least one). Alerts are still evaluated and recorded; their notifications are held back (the history says so) until `endsAt`.",
  access: "operator",
  body: SilenceInput,
  status: 201,
  example: { body: { clientId: ":client", endsAt: "2099-01-01T00:00:00Z", comment: "Maintenance" } },
});

export const alertSilenceExpire = defineContract({
  method: "DELETE",
  path: "/api/v1/alerts/silences/{id}",
  tag: "alerts",
  summary: "End a silence now (it stays listed as expired)",
  access: "operator",
  pathParams: SilencePath,
  example: { pathParams: { id: ":silence" } },
});
