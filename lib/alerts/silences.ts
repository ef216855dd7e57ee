/**
 * Silences hold back notifications (not evaluation: alerts still open, fire and resolve,
 * and their history says what was held back) until they end. A silence names a client,
 * a rule and/or label values; an alert is silenced when all that it names match.
 */
import { and, desc, eq, gt, lte } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db/database";
import { alertRules, alertSilences, clients } from "@/lib/db/schema";
import { AppError } from "@/lib/core/errors";
import { AlertInstant, Labels, MAX_ID } from "./rules";

export interface ActiveSilence {
  id: number;
  clientId: number | null;
  ruleId: number | null;
  labels: Record<string, string>;
  comment: string;
}

export const SilenceInput = z
  .object({
    clientId: z.number().int().positive().max(MAX_ID).nullable().default(null),
    ruleId: z.number().int().positive().max(MAX_ID).nullable().default(null),
    labels: Labels,
    /** Default: now. */
    startsAt: AlertInstant.optional(),
    endsAt: AlertInstant,
    comment: z.string().trim().max(500).default(""),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.clientId === null && s.ruleId === null && Object.keys(s.labels).length === 0)
      ctx.addIssue({
        code: "custom",
        path: ["ruleId"],
        message: "name a client, a rule or labels: a silence of everything is not allowed",
      });
  });
export type SilenceInput = z.infer<typeof SilenceInput>;

/** Silences in force at `at`. */
export async function activeSilences(db: Db, at: Date): Promise<ActiveSilence[]> {
  return db
    .select({
      id: alertSilences.id,
      clientId: alertSilences.clientId,
      ruleId: alertSilences.ruleId,
      labels: alertSilences.labels,
      comment: alertSilences.comment,
    })
    .from(alertSilences)
    .where(and(lte(alertSilences.startsAt, at), gt(alertSilences.endsAt, at)));
}

/** The first silence that covers an alert of `rule` on `clientId`, or null. */
export function silencedBy(
  silences: ActiveSilence[],
  alert: { ruleId: number; clientId: number; labels: Record<string, string> },
): ActiveSilence | null {
  return (
    silences.find(
      (s) =>
        (s.clientId === null || s.clientId === alert.clientId) &&
        (s.ruleId === null || s.ruleId === alert.ruleId) &&
        Object.entries(s.labels).every(([k, v]) => alert.labels[k] === v),
    ) ?? null
  );
}

export async function createSilence(db: Db, input: SilenceInput, createdBy: string | null, now = new Date()) {
  const startsAt = input.startsAt ?? now;
  if (input.endsAt <= startsAt) throw new AppError("bad_request", "endsAt: must be after startsAt");
  if (input.clientId !== null) {
    const [c] = await db.select({ id: clients.id }).from(clients).where(eq(clients.id, input.clientId));
    if (!c) throw new AppError("bad_request", `clientId: client ${input.clientId} does not exist`);
  }
  if (input.ruleId !== null) {
    const [r] = await db.select({ id: alertRules.id }).from(alertRules).where(eq(alertRules.id, input.ruleId));
    if (!r) throw new AppError("bad_request", `ruleId: rule ${input.ruleId} does not exist`);
  }
  const [row] = await db
    .insert(alertSilences)
    .values({ ...input, startsAt, createdBy })
    .returning();
  return row!;
}

/** Ends a silence now (its row stays, for the record). */
export async function expireSilence(db: Db, id: number, now = new Date()) {
  const [row] = await db
    .update(alertSilences)
    .set({ endsAt: now })
    .where(and(eq(alertSilences.id, id), gt(alertSilences.endsAt, now)))
    .returning();
  if (row) return row;
  const [existing] = await db.select().from(alertSilences).where(eq(alertSilences.id, id));
  if (!existing) throw new AppError("not_found", `Silence ${id} not found`);
  return existing;
}

/** Silences, the ones in force or to come first, then the ended ones, newest first. */
export async function listSilences(db: Db, now = new Date(), limit = 200) {
  const rows = await db.select().from(alertSilences).orderBy(desc(alertSilences.endsAt)).limit(limit);
  return rows.map((s) => ({
    ...s,
    status: s.endsAt <= now ? ("expired" as const) : s.startsAt > now ? ("pending" as const) : ("active" as const),
  }));
}
