/**
 * What a notification says, rendered once when it is queued (alert_notifications.payload)
 * so that every retry sends the same words, whatever happened to the alert since. Pure:
 * the senders (lib/alerts/delivery) only lay it out for their medium.
 */
import { tz } from "@date-fns/tz";
import { format } from "date-fns";
import { z } from "zod";
import { env } from "@/lib/core/env";
import { NOTIFICATION_KINDS, type NotificationKind } from "@/lib/core/vocabulary";

const IsoTime = z.string().meta({ format: "date-time" });

/** The message as stored and as webhook receivers get it (plus `version` and `sentAt`). */
export const AlertMessage = z.object({
  kind: z.enum(NOTIFICATION_KINDS),
  /** "[FIRING] critical · Acme · Failure rate above 10%": an email subject, a Slack header. */
  title: z.string(),
  /** The alert's summary, or the test notification's sentence. */
  text: z.string(),
  /** The measured value against the threshold ("23.5 (threshold 10)"); null when the rule has none. */
  figure: z.string().nullable(),
  /** Null for a channel's test notification, as are rule and client. */
  alert: z
    .object({
      id: z.number().int(),
      state: z.string(),
      summary: z.string(),
      value: z.number().nullable(),
      threshold: z.number().nullable(),
      startedAt: IsoTime,
      firedAt: IsoTime.nullable(),
      endedAt: IsoTime.nullable(),
    })
    .nullable(),
  rule: z
    .object({
      id: z.number().int(),
      name: z.string(),
      kind: z.string(),
      severity: z.string(),
      labels: z.record(z.string(), z.string()),
    })
    .nullable(),
  client: z.object({ id: z.number().int(), name: z.string(), slug: z.string(), timeZone: z.string() }).nullable(),
  workflow: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  /** The alert's times as people read them, on the client's wall clock ("2025-03-30 14:05"). */
  times: z.object({
    timeZone: z.string(),
    startedAt: z.string().nullable(),
    firedAt: z.string().nullable(),
    endedAt: z.string().nullable(),
  }),
  /** Absolute: where the message's button and link lead (the explorer filtered to the runs). */
  url: z.string(),
});
export type AlertMessage = z.infer<typeof AlertMessage>;

export interface AlertMessageInput {
  kind: NotificationKind;
  alert: {
    id: number;
    state: string;
    summary: string;
    value: number | null;
    threshold: number | null;
    startedAt: Date;
    firedAt: Date | null;
    endedAt: Date | null;
  };
  rule: { id: number; name: string; kind: string; severity: string; labels: Record<string, string> };
  client: { id: number; name: string; slug: string; timeZone: string };
  workflow: { id: number; name: string } | null;
  /** An app path, e.g. /clients/acme/runs?status=failed&from=… */
  linkPath: string;
}

export interface MessageOptions {
  /** The app's public address; default: BETTER_AUTH_URL, else http://localhost:PORT. */
  baseUrl?: string;
}

const TITLE_TAG: Record<NotificationKind, string> = {
  firing: "FIRING",
  reminder: "STILL FIRING",
  resolved: "RESOLVED",
  test: "TEST",
};

/**
 * Where links in notifications point. Requests can tell pages their own address, but a
 * notification is read outside any request: only configuration knows the public one.
 */
export function publicBaseUrl(): string {
  return (env.BETTER_AUTH_URL ?? `http://localhost:${env.PORT ?? 3000}`).replace(/\/+$/, "");
}

export function buildAlertMessage(input: AlertMessageInput, options: MessageOptions = {}): AlertMessage {
  const { alert, rule, client, workflow } = input;
  const subject = workflow ? `${client.name} · ${workflow.name}` : client.name;
  const at = (d: Date | null) => (d ? wallClock(d, client.timeZone) : null);
  return {
    kind: input.kind,
    title: `[${TITLE_TAG[input.kind]}] ${rule.severity} · ${subject} · ${rule.name}`,
    text: alert.summary,
    figure: figureOf(alert.value, alert.threshold),
    alert: {
      ...alert,
      startedAt: alert.startedAt.toISOString(),
      firedAt: alert.firedAt?.toISOString() ?? null,
      endedAt: alert.endedAt?.toISOString() ?? null,
    },
    rule: { ...rule, labels: { ...rule.labels } },
    client: { ...client },
    workflow: workflow ? { ...workflow } : null,
    times: {
      timeZone: client.timeZone,
      startedAt: at(alert.startedAt),
      firedAt: at(alert.firedAt),
      endedAt: at(alert.endedAt),
    },
    url: absoluteUrl(input.linkPath, options.baseUrl),
  };
}

/** A channel's "send test notification": no alert behind it, so receivers can tell it apart by `kind`. */
export function buildTestMessage(
  channelName: string,
  options: MessageOptions & { linkPath?: string } = {},
): AlertMessage {
  return {
    kind: "test",
    title: `[${TITLE_TAG.test}] Flowscope test notification`,
    text: `A test notification for the channel "${channelName}". If you can read this, alerts will reach you here.`,
    figure: null,
    alert: null,
    rule: null,
    client: null,
    workflow: null,
    times: { timeZone: "UTC", startedAt: null, firedAt: null, endedAt: null },
    url: absoluteUrl(options.linkPath ?? "/admin/alerts", options.baseUrl),
  };
}

/** "2025-03-30 14:05" on the zone's wall clock; the zone is named once beside it, not per time. */
export function wallClock(t: Date, timeZone: string): string {
  return format(t, "yyyy-MM-dd HH:mm", { in: tz(timeZone) });
}

function figureOf(value: number | null, threshold: number | null): string | null {
  if (value === null) return null;
  return threshold === null ? formatFigure(value) : `${formatFigure(value)} (threshold ${formatFigure(threshold)})`;
}

/** Whole numbers above 100 (durations in ms, counts); two decimals at most below (rates). */
export function formatFigure(v: number): string {
  return new Intl.NumberFormat("en-US", { maximumFractionDigits: Math.abs(v) >= 100 ? 0 : 2 }).format(v);
}

function absoluteUrl(linkPath: string, baseUrl = publicBaseUrl()): string {
  const path = linkPath.startsWith("/") ? linkPath : `/${linkPath}`;
  return `${baseUrl.replace(/\/+$/, "")}${path}`;
}
