/**
 * The generic webhook: the message as JSON, signed so the receiver can tell it came from
 * this Flowscope and was not replayed.
 *
 * How a receiver verifies a delivery:
 *   1. Read the raw body bytes, before any JSON parsing (re-serialising changes them).
 *   2. t = header `x-flowscope-timestamp` (unix seconds); refuse it when it is more than
 *      5 minutes from your clock, so a captured request cannot be replayed later.
 *   3. expected = hex(HMAC-SHA256(key = the channel's signing secret as shown, UTF-8;
 *      data = t + "." + raw body)).
 *   4. Compare "sha256=" + expected with header `x-flowscope-signature` in constant time
 *      (crypto.timingSafeEqual, hmac.compare_digest); refuse on mismatch.
 * Each retry is signed afresh, with its own timestamp. Delivery is at least once (a
 * process that dies between sending and recording sends again): `notificationId` in the
 * (signed) body, also in header `x-flowscope-notification-id`, is the same on every try
 * of one notification, so a receiver can drop one it already has.
 */
import { createHmac } from "node:crypto";
import type { AlertMessage } from "../message";
import { postJson, type HttpSendOptions, type SendResult } from "./http";

export const WEBHOOK_VERSION = 1;

export interface WebhookTarget {
  url: string;
  signingSecret: string;
}

/** The body: the message with a format version, the notification's id and when this attempt was sent. */
export function webhookBody(message: AlertMessage, sentAt: Date, notificationId: number | null = null): string {
  return JSON.stringify({ version: WEBHOOK_VERSION, notificationId, ...message, sentAt: sentAt.toISOString() });
}

export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

export async function sendWebhook(
  target: WebhookTarget,
  message: AlertMessage,
  options: HttpSendOptions & { notificationId?: number } = {},
): Promise<SendResult> {
  // The wall clock, not the queue's: receivers judge freshness against their own clocks.
  // Whole seconds, so the body's sentAt and the signed timestamp are the same instant.
  const timestamp = Math.floor(Date.now() / 1000);
  const sentAt = new Date(timestamp * 1000);
  const body = webhookBody(message, sentAt, options.notificationId ?? null);
  const { ok, statusCode, error } = await postJson(
    target.url,
    body,
    {
      "x-flowscope-timestamp": String(timestamp),
      "x-flowscope-signature": webhookSignature(target.signingSecret, timestamp, body),
      ...(options.notificationId === undefined
        ? {}
        : { "x-flowscope-notification-id": String(options.notificationId) }),
    },
    options,
  );
  return { ok, statusCode, error };
}
