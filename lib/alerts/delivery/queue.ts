/**
 * The durable outbox. Notifications are rows (alert_notifications), written in the same
 * transaction as the alert change that caused them, so none is lost or sent for a change
 * that rolled back; deliverers send them afterwards, never inside a sync.
 *
 * A deliverer claims due rows with a lease (locked_until) in one UPDATE over a
 * FOR UPDATE SKIP LOCKED select: two deliverers, in one process or several, never hold
 * the same row, and a killed one's rows are taken again once its lease runs out. Each
 * claim counts as an attempt, so a row that kills its deliverer cannot loop forever.
 * Delivery is at least once: a receiver may see a row twice when the process dies
 * between sending and recording, so webhook receivers get ids to drop repeats by.
 */
import { and, asc, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import { describeError } from "@/lib/core/describe-error";
import { AppError } from "@/lib/core/errors";
import { logError } from "@/lib/core/log";
import { HOUR_MS, MINUTE_MS, SECOND_MS } from "@/lib/core/time";
import type { NotificationKind } from "@/lib/core/vocabulary";
import type { Db } from "@/lib/db/database";
import { alertChannels, alertDeliveryAttempts, alertNotifications } from "@/lib/db/schema";
import { channelConfig } from "../channels";
import { AlertMessage, buildTestMessage } from "../message";
import type { SendResult } from "./http";
import { sendToChannel, type SenderOptions } from "./send";

/** Attempts before a notification is given up: with the backoff below, about 1 h 4 min of trying. */
export const MAX_ATTEMPTS = 8;
/** The wait after the first failed attempt; doubled after each further one (30 s, 1 min, 2 min ...). */
export const RETRY_BASE_MS = 30 * SECOND_MS;
export const RETRY_MAX_MS = HOUR_MS;
/**
 * How long a claimed row stays with its deliverer. Well above one send (10 s timeout, plus
 * DNS), since a row whose lease ran out mid-send would be sent again by someone else.
 */
export const LEASE_MS = 2 * MINUTE_MS;
export const DELIVERY_BATCH = 20;
/** Sends in flight per deliverDue call: one slow receiver must not hold up the others. */
const PARALLEL_SENDS = 4;

/** The wait before the next try after failed attempt number `attempt` (1-based). */
export function retryDelayMs(attempt: number): number {
  return Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, attempt - 1));
}

export interface QueueInput {
  /** Null for a channel's test notification. */
  alertId: number | null;
  kind: NotificationKind;
  message: AlertMessage;
  channelIds: number[];
}

/**
 * Queues one notification per enabled channel among `channelIds` (disabled ones are
 * skipped: nothing is owed to them). `db` may be the transaction that changed the alert.
 * Returns how many were queued.
 */
export async function queueNotifications(db: Db, input: QueueInput, now: Date = new Date()): Promise<number> {
  return (await insertNotifications(db, input, now)).length;
}

/** With `leased`, the rows are born claimed by the caller (first attempt counted), out of other deliverers' reach. */
async function insertNotifications(db: Db, input: QueueInput, now: Date, leased = false): Promise<Claimed[]> {
  const ids = [...new Set(input.channelIds)];
  if (ids.length === 0) return [];
  const channels = await db
    .select({ id: alertChannels.id })
    .from(alertChannels)
    .where(and(inArray(alertChannels.id, ids), eq(alertChannels.enabled, true)));
  if (channels.length === 0) return [];
  const n = alertNotifications;
  return db
    .insert(n)
    .values(
      channels.map((c) => ({
        alertId: input.alertId,
        channelId: c.id,
        kind: input.kind,
        payload: input.message,
        nextAttemptAt: now,
        createdAt: now,
        ...(leased ? { attempts: 1, lockedUntil: new Date(now.getTime() + LEASE_MS) } : {}),
      })),
    )
    .returning({ id: n.id, channelId: n.channelId, payload: n.payload, attempts: n.attempts });
}

export interface DeliverOptions {
  /** The queue's clock (tests move it); sends themselves run on the wall clock. */
  now?: Date;
  limit?: number;
  senders?: SenderOptions;
}

export interface DeliveryCounts {
  delivered: number;
  retrying: number;
  failed: number;
}

/**
 * Sends the notifications that are due, at most `limit`. One row's failure (a receiver's
 * or the database's) is counted or logged, never thrown: the others still go out.
 */
export async function deliverDue(db: Db, options: DeliverOptions = {}): Promise<DeliveryCounts> {
  const counts: DeliveryCounts = { delivered: 0, retrying: 0, failed: 0 };
  let left = options.limit ?? DELIVERY_BATCH;
  // A round at a time, as many rows as are sent at once: a row is claimed just before its
  // send, so no lease runs out while it waits behind slow receivers.
  while (left > 0) {
    const now = options.now ?? new Date();
    const claimed = await claim(db, now, Math.min(PARALLEL_SENDS, left));
    if (claimed.length === 0) break;
    left -= claimed.length;
    await Promise.all(
      claimed.map(async (row) => {
        try {
          const { outcome } = await deliverClaimed(db, row, now, options.senders);
          counts[outcome]++;
        } catch (err) {
          // Its lease runs out and the row is taken again, as an attempt more.
          logError(`[alerts] delivering notification ${row.id} failed`, err);
        }
      }),
    );
  }
  return counts;
}

export interface TestResult extends SendResult {
  notificationId: number;
  durationMs: number;
  /** delivered, or pending: the queue retries it like any notification (failed only when the channel is gone). */
  status: "delivered" | "pending" | "failed";
}

/**
 * The channel page's "send test notification": queues a test message and makes its first
 * attempt at once, answering with that attempt's result. A failed test is retried by the
 * queue like any notification, so a receiver that was briefly down still gets it.
 */
export async function sendTestNotification(
  db: Db,
  channelId: number,
  options: { now?: Date; senders?: SenderOptions } = {},
): Promise<TestResult> {
  const now = options.now ?? new Date();
  const [channel] = await db
    .select({ name: alertChannels.name })
    .from(alertChannels)
    .where(eq(alertChannels.id, channelId));
  if (!channel) throw new AppError("not_found", `Alert channel ${channelId} does not exist`);
  const [row] = await insertNotifications(
    db,
    { alertId: null, kind: "test", message: buildTestMessage(channel.name), channelIds: [channelId] },
    now,
    true,
  );
  // Only enabled channels get rows: nothing is owed to a disabled one.
  if (!row) throw new AppError("bad_request", "The channel is disabled: enable it to send a test notification");
  const { outcome, attempt } = await deliverClaimed(db, row, now, options.senders);
  const result = attempt ?? {
    ok: false,
    statusCode: null,
    error: "the channel was disabled or deleted",
    durationMs: 0,
  };
  return {
    notificationId: row.id,
    ...result,
    status: outcome === "delivered" ? "delivered" : outcome === "retrying" ? "pending" : "failed",
  };
}

type Claimed = Pick<typeof alertNotifications.$inferSelect, "id" | "channelId" | "payload" | "attempts">;

/** Takes up to `limit` due rows for this deliverer, atomically. */
async function claim(db: Db, now: Date, limit: number): Promise<Claimed[]> {
  const n = alertNotifications;
  const due = db
    .select({ id: n.id })
    .from(n)
    .where(and(eq(n.status, "pending"), lte(n.nextAttemptAt, now), or(isNull(n.lockedUntil), lte(n.lockedUntil, now))))
    .orderBy(asc(n.nextAttemptAt), asc(n.id))
    .limit(limit)
    .for("update", { skipLocked: true });
  return db
    .update(n)
    .set({ lockedUntil: new Date(now.getTime() + LEASE_MS), attempts: sql`${n.attempts} + 1` })
    .where(and(inArray(n.id, due), eq(n.status, "pending")))
    .returning({ id: n.id, channelId: n.channelId, payload: n.payload, attempts: n.attempts });
}

type Outcome = keyof DeliveryCounts;

async function deliverClaimed(
  db: Db,
  row: Claimed,
  now: Date,
  senders: SenderOptions | undefined,
): Promise<{ outcome: Outcome; attempt: (SendResult & { durationMs: number }) | null }> {
  const [channel] = await db.select().from(alertChannels).where(eq(alertChannels.id, row.channelId));
  if (!channel || !channel.enabled) {
    // Nothing was sent, so no attempt is recorded; the reason stays on the row.
    const reason = channel ? "the channel was disabled before delivery" : "the channel was deleted";
    await finish(db, row, { status: "failed", lockedUntil: null, lastError: reason });
    return { outcome: "failed", attempt: null };
  }

  const started = performance.now();
  let result: SendResult;
  const message = AlertMessage.safeParse(row.payload);
  if (!message.success) {
    result = { ok: false, statusCode: null, error: "the queued message is unreadable (written by another version?)" };
  } else {
    try {
      result = await sendToChannel(channel.kind, channelConfig(channel), message.data, senders, row.id);
    } catch (err) {
      // A sender reports delivery failures itself; this is ours (an unreadable target).
      result = { ok: false, statusCode: null, error: describeError(err).message };
    }
  }
  const attempt = { ...result, durationMs: Math.round(performance.now() - started) };
  const outcome: Outcome = result.ok ? "delivered" : row.attempts >= MAX_ATTEMPTS ? "failed" : "retrying";

  await db.transaction(async (tx) => {
    await tx.insert(alertDeliveryAttempts).values({
      notificationId: row.id,
      at: now,
      ok: attempt.ok,
      statusCode: attempt.statusCode,
      error: attempt.error,
      durationMs: attempt.durationMs,
    });
    const c = alertChannels;
    if (outcome === "delivered") {
      if (await finish(tx, row, { status: "delivered", deliveredAt: now, lockedUntil: null, lastError: null }))
        await tx.update(c).set({ consecutiveFailures: 0, lastDeliveredAt: now }).where(eq(c.id, channel.id));
    } else if (outcome === "failed") {
      if (await finish(tx, row, { status: "failed", lockedUntil: null, lastError: result.error }))
        await tx
          .update(c)
          .set({ consecutiveFailures: sql`${c.consecutiveFailures} + 1`, lastFailedAt: now, lastError: result.error })
          .where(eq(c.id, channel.id));
    } else {
      const next = new Date(now.getTime() + retryDelayMs(row.attempts));
      await finish(tx, row, { nextAttemptAt: next, lockedUntil: null, lastError: result.error });
    }
  });
  return { outcome, attempt };
}

/**
 * Writes a claimed row's result, only while this deliverer still holds it: after a lease
 * ran out and another deliverer took the row, `attempts` has moved on and this is a no-op.
 */
async function finish(db: Db, row: Claimed, values: Partial<typeof alertNotifications.$inferInsert>): Promise<boolean> {
  const n = alertNotifications;
  const held = await db
    .update(n)
    .set(values)
    .where(and(eq(n.id, row.id), eq(n.attempts, row.attempts), eq(n.status, "pending")))
    .returning({ id: n.id });
  return held.length > 0;
}
