/**
 * Email over SMTP with nodemailer, configured by the operator (SMTP_URL, ALERT_FROM), not
 * by admins: the address guard is for URLs typed in the app, so the SMTP server is
 * reached wherever the operator put it. Without SMTP_URL an email delivery fails with a
 * reason the channel page shows; it never stops the other channels.
 */
import { createTransport } from "nodemailer";
import { env } from "@/lib/core/env";
import type { AlertMessage } from "../message";
import { SEND_TIMEOUT_MS, type SendResult } from "./http";

export interface EmailTarget {
  to: string[];
}

export interface EmailSendOptions {
  /** Default: SMTP_URL. */
  smtpUrl?: string | null;
  /** Default: ALERT_FROM, else the SMTP_URL user when it is an email address. */
  from?: string | null;
  timeoutMs?: number;
}

const ERROR_MAX = 300;

export async function sendEmail(
  target: EmailTarget,
  message: AlertMessage,
  options: EmailSendOptions = {},
): Promise<SendResult> {
  const smtpUrl = options.smtpUrl === undefined ? env.SMTP_URL : options.smtpUrl;
  if (!smtpUrl) return { ok: false, statusCode: null, error: "SMTP_URL is not set: email alerts need an SMTP server" };
  const from = options.from ?? env.ALERT_FROM ?? userAddress(smtpUrl);
  if (!from) {
    return {
      ok: false,
      statusCode: null,
      error: "ALERT_FROM is not set, and the SMTP_URL user is not an email address",
    };
  }
  const timeoutMs = options.timeoutMs ?? SEND_TIMEOUT_MS;
  const transport = createTransport({
    url: smtpUrl,
    // nodemailer waits up to 2 minutes to connect and 10 for an idle socket by default:
    // one slow server would hold the delivery queue's lease.
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    dnsTimeout: timeoutMs,
  });
  try {
    const info = await transport.sendMail({
      from,
      to: target.to,
      subject: message.title,
      text: textBody(message),
      html: htmlBody(message),
      // The whole exchange: each step above has its own timeout, a server trickling replies none.
      signal: AbortSignal.timeout(timeoutMs * 3),
    });
    return { ok: true, statusCode: replyCode(info.response), error: null };
  } catch (err) {
    const e = err as { responseCode?: number; response?: string; message?: string };
    const reason = (e.response ?? e.message ?? String(err)).replace(/\s+/g, " ").trim();
    return {
      ok: false,
      statusCode: typeof e.responseCode === "number" ? e.responseCode : null,
      error: `SMTP server ${hostOf(smtpUrl)}: ${reason.slice(0, ERROR_MAX)}`,
    };
  } finally {
    transport.close();
  }
}

export function textBody(m: AlertMessage): string {
  const lines = [m.text, ""];
  for (const [label, value] of details(m)) lines.push(`${label}: ${value}`);
  lines.push("", `Open in Flowscope: ${m.url}`);
  return lines.join("\n");
}

export function htmlBody(m: AlertMessage): string {
  const rows = details(m)
    .map(
      ([label, value]) =>
        `<tr><td style="padding:2px 12px 2px 0;color:#666">${html(label)}</td><td>${html(value)}</td></tr>`,
    )
    .join("");
  return [
    `<div style="font-family:system-ui,sans-serif;font-size:14px">`,
    `<h2 style="font-size:16px">${html(m.title)}</h2>`,
    `<p>${html(m.text)}</p>`,
    rows ? `<table>${rows}</table>` : "",
    `<p><a href="${html(m.url)}">Open in Flowscope</a></p>`,
    `</div>`,
  ].join("");
}

function details(m: AlertMessage): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (m.figure) out.push(["Value", m.figure]);
  if (m.client) out.push(["Client", m.workflow ? `${m.client.name} / ${m.workflow.name}` : m.client.name]);
  if (m.rule) out.push(["Rule", m.rule.name], ["Severity", m.rule.severity]);
  const zone = ` (${m.times.timeZone})`;
  if (m.times.startedAt) out.push(["Started", m.times.startedAt + zone]);
  if (m.times.firedAt) out.push(["Fired", m.times.firedAt + zone]);
  if (m.times.endedAt) out.push(["Resolved", m.times.endedAt + zone]);
  const labels = Object.entries(m.rule?.labels ?? {});
  if (labels.length > 0) out.push(["Labels", labels.map(([k, v]) => `${k}=${v}`).join(", ")]);
  return out;
}

function html(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** "250 2.0.0 OK: queued as 1A2B": the reply code. */
function replyCode(response: string | undefined): number | null {
  const code = /^(\d{3})/.exec(response ?? "");
  return code ? Number(code[1]) : null;
}

function userAddress(smtpUrl: string): string | null {
  try {
    const user = decodeURIComponent(new URL(smtpUrl).username);
    return /^[^@\s]+@[^@\s]+$/.test(user) ? user : null;
  } catch {
    return null;
  }
}

/** Host and port only: the URL's password must never reach a stored error. */
function hostOf(smtpUrl: string): string {
  try {
    return new URL(smtpUrl).host;
  } catch {
    return "(unreadable SMTP_URL)";
  }
}
