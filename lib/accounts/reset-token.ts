import { AsyncLocalStorage } from "node:async_hooks";
import { and, eq, like } from "drizzle-orm";
import type { Db } from "@/lib/db/database";
import { verifications } from "@/lib/db/schema";

/**
 * How a reset token gets from better-auth back to the admin who asked for it. There is
 * no email yet (SMTP comes later), so better-auth's `sendResetPassword` hands the token
 * to whoever is waiting for it in this async context (createResetLink) instead of
 * mailing it. A module of its own: auth.ts and password-reset.ts both need it, and
 * password-reset.ts imports auth.ts.
 */
const waiting = new AsyncLocalStorage<(token: string) => void>();

/** Runs `request` and answers the reset token better-auth issued during it, or null. */
export async function captureResetToken(request: () => Promise<unknown>): Promise<string | null> {
  let token: string | null = null;
  await waiting.run((issued) => {
    token = issued;
  }, request);
  return token;
}

/**
 * better-auth's sendResetPassword. Outside captureResetToken nobody could deliver the
 * link; the public endpoint that would get here is disabled (auth.ts), so this throws
 * rather than drop a token silently.
 */
export async function deliverResetToken({ token }: { token: string }): Promise<void> {
  const take = waiting.getStore();
  if (!take) throw new Error("A password reset was requested outside the admin reset link; no email is configured");
  take(token);
}

/**
 * Ends every reset token of a user that is still waiting (better-auth keeps them as
 * verification rows "reset-password:<token>" whose value is the user id). Called before
 * a new link is issued and once a password is set, so a link pasted into the wrong place
 * stops working as soon as it is replaced or the password changed, not 24 hours later.
 */
export async function revokeResetTokens(db: Db, userId: string): Promise<void> {
  await db
    .delete(verifications)
    .where(and(like(verifications.identifier, "reset-password:%"), eq(verifications.value, userId)));
}
