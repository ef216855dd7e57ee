/**
 * Slack incoming webhooks: a Block Kit message (header, the summary with the figure, a
 * context line, a button to Flowscope) and a plain `text`, which Slack shows in
 * notifications and wherever blocks cannot be drawn.
 *
 * Slack's docs: success is HTTP 200 with the plain-text body `ok`; failures are 4xx (410
 * for an archived channel) with a plain reason such as invalid_payload, channel_not_found
 * or action_prohibited. A 200 with any other body is counted as a failure too, with that
 * body as the reason: it is not Slack saying the message was posted (a proxy's page, a
 * URL that is not a Slack webhook).
 */
import type { AlertMessage } from "../message";
import { postJson, type HttpSendOptions, type SendResult } from "./http";

// Block Kit's limits: longer text makes Slack refuse the whole message (invalid_blocks).
const HEADER_MAX = 150;
const SECTION_MAX = 3000;
const FIELD_MAX = 2000;

const HEADER_EMOJI: Record<AlertMessage["kind"], string> = {
  firing: ":red_circle:",
  reminder: ":large_orange_circle:",
  resolved: ":large_green_circle:",
  test: ":white_check_mark:",
};

export interface SlackTarget {
  url: string;
}

type Text = { type: "plain_text" | "mrkdwn"; text: string; emoji?: boolean };

export function slackPayload(message: AlertMessage) {
  const fields: Text[] = [];
  if (message.figure) fields.push(mrkdwn(`*Value*\n${escape(message.figure)}`, FIELD_MAX));
  if (message.rule) fields.push(mrkdwn(`*Rule*\n${escape(message.rule.name)}`, FIELD_MAX));
  const labels = Object.entries(message.rule?.labels ?? {});
  if (labels.length > 0)
    fields.push(mrkdwn(`*Labels*\n${escape(labels.map(([k, v]) => `${k}=${v}`).join(", "))}`, FIELD_MAX));

  return {
    text: `${message.title}\n${message.text}`,
    blocks: [
      {
        type: "header",
        text: {
          type: "plain_text",
          text: clip(`${HEADER_EMOJI[message.kind]} ${message.title}`, HEADER_MAX),
          emoji: true,
        },
      },
      {
        type: "section",
        text: mrkdwn(escape(message.text), SECTION_MAX),
        ...(fields.length > 0 ? { fields } : {}),
      },
      { type: "context", elements: [mrkdwn(escape(contextLine(message)), SECTION_MAX)] },
      {
        type: "actions",
        elements: [
          {
            type: "button",
            text: { type: "plain_text", text: "Open in Flowscope" },
            url: message.url,
            ...(message.kind === "firing" ? { style: "danger" } : {}),
          },
        ],
      },
    ],
  };
}

export async function sendSlack(
  target: SlackTarget,
  message: AlertMessage,
  options: HttpSendOptions = {},
): Promise<SendResult> {
  const result = await postJson(target.url, JSON.stringify(slackPayload(message)), {}, options);
  if (!result.ok) return { ok: false, statusCode: result.statusCode, error: result.error };
  const answer = result.body.trim();
  if (answer === "ok") return { ok: true, statusCode: result.statusCode, error: null };
  return {
    ok: false,
    statusCode: result.statusCode,
    error: `Slack answered "${answer.slice(0, 200) || "(empty)"}" instead of "ok"`,
  };
}

/** "Client *Acme* · critical · started 2025-03-30 14:05 · fired 14:10 (Europe/Berlin)" */
function contextLine(m: AlertMessage): string {
  if (!m.client) return "Flowscope test notification";
  const parts = [m.workflow ? `${m.client.name} / ${m.workflow.name}` : m.client.name];
  if (m.rule) parts.push(m.rule.severity);
  if (m.times.startedAt) parts.push(`started ${m.times.startedAt}`);
  if (m.times.firedAt) parts.push(`fired ${m.times.firedAt}`);
  if (m.times.endedAt) parts.push(`resolved ${m.times.endedAt}`);
  return `${parts.join(" · ")} (${m.times.timeZone})`;
}

function mrkdwn(text: string, max: number): Text {
  return { type: "mrkdwn", text: clip(text, max) };
}

/** The three characters Slack's mrkdwn reads as markup; everything else is shown as typed. */
function escape(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
