/** The delivery history the channel and alert pages show: notifications, newest first, each with its attempts. */
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { DELIVERY_STATUSES, NOTIFICATION_KINDS } from "@/lib/core/vocabulary";
import type { Db } from "@/lib/db/database";
import { alertChannels, alertDeliveryAttempts, alertNotifications } from "@/lib/db/schema";

const IsoTime = z.string().meta({ format: "date-time" });

export const DeliveryAttemptView = z.object({
  at: IsoTime,
  ok: z.boolean(),
  statusCode: z.number().int().nullable(),
  error: z.string().nullable(),
  durationMs: z.number().int(),
});
export type DeliveryAttemptView = z.infer<typeof DeliveryAttemptView>;

export const DeliveryView = z.object({
  id: z.number().int(),
  alertId: z.number().int().nullable(),
  channelId: z.number().int(),
  channelName: z.string(),
  kind: z.enum(NOTIFICATION_KINDS),
  /** The message's title as sent. */
  title: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  /** When the next try is due; null once delivered or failed. */
  nextAttemptAt: IsoTime.nullable(),
  lastError: z.string().nullable(),
  createdAt: IsoTime,
  deliveredAt: IsoTime.nullable(),
  /** Oldest first. */
  attemptLog: z.array(DeliveryAttemptView),
});
export type DeliveryView = z.infer<typeof DeliveryView>;

export const DELIVERIES_MAX = 200;

export async function listDeliveries(
  db: Db,
  filter: { channelId?: number; alertId?: number; limit?: number } = {},
): Promise<DeliveryView[]> {
  const n = alertNotifications;
  const limit = Math.min(Math.max(1, filter.limit ?? 50), DELIVERIES_MAX);
  const rows = await db
    .select({
      id: n.id,
      alertId: n.alertId,
      channelId: n.channelId,
      channelName: alertChannels.name,
      kind: n.kind,
      title: sql<string | null>`${n.payload}->>'title'`,
      status: n.status,
      attempts: n.attempts,
      nextAttemptAt: n.nextAttemptAt,
      lastError: n.lastError,
      createdAt: n.createdAt,
      deliveredAt: n.deliveredAt,
    })
    .from(n)
    .innerJoin(alertChannels, eq(alertChannels.id, n.channelId))
    .where(
      and(
        filter.channelId === undefined ? undefined : eq(n.channelId, filter.channelId),
        filter.alertId === undefined ? undefined : eq(n.alertId, filter.alertId),
      ),
    )
    .orderBy(desc(n.createdAt), desc(n.id))
    .limit(limit);
  if (rows.length === 0) return [];

  const a = alertDeliveryAttempts;
  const attempts = await db
    .select({
      notificationId: a.notificationId,
      at: a.at,
      ok: a.ok,
      statusCode: a.statusCode,
      error: a.error,
      durationMs: a.durationMs,
    })
    .from(a)
    .where(
      inArray(
        a.notificationId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(a.at), asc(a.id));
  const byNotification = new Map<number, DeliveryAttemptView[]>();
  for (const { notificationId, at, ...rest } of attempts) {
    const list = byNotification.get(notificationId) ?? [];
    list.push({ at: at.toISOString(), ...rest });
    byNotification.set(notificationId, list);
  }

  return rows.map((r) => ({
    ...r,
    title: r.title ?? "",
    nextAttemptAt: r.status === "pending" ? r.nextAttemptAt.toISOString() : null,
    createdAt: r.createdAt.toISOString(),
    deliveredAt: r.deliveredAt?.toISOString() ?? null,
    attemptLog: byNotification.get(r.id) ?? [],
  }));
}
