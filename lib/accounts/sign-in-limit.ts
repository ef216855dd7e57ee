import { eq, and, isNull, lt, lte, or, sql } from "drizzle-orm";
import { APIError, isAPIError } from "better-auth/api";
import type { Db } from "@/lib/db/database";
import { signInFailures } from "@/lib/db/schema";
import { env } from "@/lib/core/env";

/**
 * The per-account sign-in limit. The per-address limit (better-auth's rate limiter)
 * stops one machine from guessing fast; this one stops many machines from guessing one
 * account's password, each staying under its own address's limit.
 *
 * After AUTH_ACCOUNT_FAILURES_BEFORE_DELAY attempts without a success, the account waits
 * 1 s before the next one, then 2 s, 4 s, ... up to AUTH_ACCOUNT_MAX_DELAY_SECONDS;
 * while it waits, attempts answer 429 without the password being checked, so the right
 * password is refused too, but never for longer than the current delay, and a success
 * starts the count over.
 */

export interface AccountLimitSettings {
  failuresBeforeDelay: number;
  maxDelaySeconds: number;
}

function settings(): AccountLimitSettings {
  return {
    failuresBeforeDelay: env.AUTH_ACCOUNT_FAILURES_BEFORE_DELAY,
    maxDelaySeconds: env.AUTH_ACCOUNT_MAX_DELAY_SECONDS,
  };
}

/** Seconds the account waits after this many attempts in a row without a success. */
export function accountDelaySeconds(failures: number, s: AccountLimitSettings = settings()): number {
  if (failures < s.failuresBeforeDelay) return 0;
  return Math.min(2 ** (failures - s.failuresBeforeDelay), s.maxDelaySeconds);
}

/**
 * A count whose last attempt is older than this starts over: a few typos a month must
 * not add up to a delay. Longer than the longest delay, so waiting one out never resets it.
 */
function forgetAfterMs(s: AccountLimitSettings): number {
  return Math.max(24 * 3600, 2 * s.maxDelaySeconds) * 1000;
}

/** The key of an account's count: the email as better-auth looks it up. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export type AttemptDecision = { allowed: true; failures: number } | { allowed: false; retryAfterSeconds: number };

/**
 * Counts an attempt before its password is checked, unless the account is waiting.
 * Counting first (and deleting the count on success) makes check-and-count one
 * statement: parallel attempts cannot all slip past a check made before any of them
 * failed, so no more than the allowed number of passwords are ever tried between waits.
 */
export async function startSignInAttempt(db: Db, email: string, now: Date = new Date()): Promise<AttemptDecision> {
  const s = settings();
  const key = normalizeEmail(email);
  const at = sql`${now.toISOString()}::timestamptz`;
  const forgetBefore = new Date(now.getTime() - forgetAfterMs(s));
  const failures = sql`(case when ${signInFailures.lastFailureAt} < ${forgetBefore.toISOString()}::timestamptz then 1 else ${signInFailures.failures} + 1 end)`;
  const firstDelay = accountDelaySeconds(1, s);
  const [counted] = await db
    .insert(signInFailures)
    .values({
      email: key,
      failures: 1,
      lastFailureAt: now,
      blockedUntil: firstDelay > 0 ? new Date(now.getTime() + firstDelay * 1000) : null,
    })
    .onConflictDoUpdate({
      target: signInFailures.email,
      set: {
        failures,
        lastFailureAt: now,
        // accountDelaySeconds, in SQL, on the count this statement writes.
        blockedUntil: sql`case when ${failures} >= ${s.failuresBeforeDelay}
          then ${at} + least(power(2, ${failures} - ${s.failuresBeforeDelay}), ${s.maxDelaySeconds}) * interval '1 second'
          else null end`,
      },
      // A waiting account's row is left as it is: waiting out the delay is what lowers it.
      setWhere: or(isNull(signInFailures.blockedUntil), lte(signInFailures.blockedUntil, now)),
    })
    .returning({ failures: signInFailures.failures });
  if (counted) {
    // A new count is the one moment rows are added, so the moment to drop forgotten ones.
    if (counted.failures === 1) await pruneForgotten(db, now, forgetBefore);
    return { allowed: true, failures: counted.failures };
  }
  const [row] = await db
    .select({ blockedUntil: signInFailures.blockedUntil })
    .from(signInFailures)
    .where(eq(signInFailures.email, key));
  const waitMs = row?.blockedUntil ? row.blockedUntil.getTime() - now.getTime() : 1000;
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
}

async function pruneForgotten(db: Db, now: Date, forgetBefore: Date): Promise<void> {
  await db
    .delete(signInFailures)
    .where(
      and(
        lt(signInFailures.lastFailureAt, forgetBefore),
        or(isNull(signInFailures.blockedUntil), lt(signInFailures.blockedUntil, now)),
      ),
    );
}

/** A successful sign-in: the account's count starts over. */
export async function clearSignInFailures(db: Db, email: string): Promise<void> {
  await db.delete(signInFailures).where(eq(signInFailures.email, normalizeEmail(email)));
}

/** The email of a sign-in body, when it has one; better-auth answers 400 for the rest. */
function emailOf(body: unknown): string | null {
  const email = (body as { email?: unknown } | null | undefined)?.email;
  return typeof email === "string" && email.trim() !== "" ? email : null;
}

/** The before-hook half: 429 with Retry-After while the account waits. */
export async function beforeSignIn(db: Db, body: unknown): Promise<void> {
  const email = emailOf(body);
  if (!email) return;
  const decision = await startSignInAttempt(db, email);
  if (decision.allowed) return;
  const wait = String(decision.retryAfterSeconds);
  throw new APIError(
    "TOO_MANY_REQUESTS",
    {
      message: `Too many failed sign-ins for this account. Try again in ${wait} second${wait === "1" ? "" : "s"}.`,
      code: "ACCOUNT_SIGN_IN_DELAYED",
    },
    // X-Retry-After as well: it is what better-auth's own 429 carries and the sign-in form reads.
    { "Retry-After": wait, "X-Retry-After": wait },
  );
}

/** The after-hook half: a sign-in that did not fail clears the count. */
export async function afterSignIn(db: Db, body: unknown, returned: unknown): Promise<void> {
  const email = emailOf(body);
  if (!email || isAPIError(returned)) return;
  await clearSignInFailures(db, email);
}
