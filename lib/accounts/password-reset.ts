import { z } from "zod";
import type { Db } from "@/lib/db/database";
import { AppError } from "@/lib/core/errors";
import { authFor, RESET_LINK_TTL_SECONDS } from "./auth";
import { captureResetToken, revokeResetTokens } from "./reset-token";
import { findUser } from "./users";

/** The page where the user sets the new password (under /sign-in/, which is open signed out). */
export const RESET_PASSWORD_PATH = "/sign-in/reset-password";

export const ResetLink = z.object({
  userId: z.string(),
  email: z.string(),
  /** Open it to set a new password; works once. */
  url: z.string().meta({ format: "uri" }),
  expiresAt: z.string().meta({ format: "date-time" }),
  /** Why the link is answered instead of mailed. */
  delivery: z.literal("manual"),
});
export type ResetLink = z.infer<typeof ResetLink>;

/**
 * A one-time password reset link for a user, for the admin to pass on: better-auth's own
 * reset flow (requestPasswordReset stores an expiring token; /api/auth/reset-password
 * consumes it once and signs the user out everywhere), with the token handed back here
 * instead of emailed, since no email is configured. Each call issues a new token and
 * ends the earlier ones. The token travels in the URL's fragment, which browsers never
 * send to a server (no access log, no Referer holds it); the reset page reads it there.
 */
export async function createResetLink(db: Db, opts: { userId: string; origin: string }): Promise<ResetLink> {
  const user = await findUser(db, opts.userId);
  if (!user) throw new AppError("not_found", `User ${opts.userId} not found`);
  // Taken before the token is stored, so the stated expiry is never later than the real one.
  const expiresAt = new Date(Date.now() + RESET_LINK_TTL_SECONDS * 1000);
  const auth = authFor(db);
  await revokeResetTokens(db, user.id);
  const token = await captureResetToken(() => auth.api.requestPasswordReset({ body: { email: user.email } }));
  if (!token) throw new AppError("internal", `No reset token was issued for user ${user.id}`);
  const url = new URL(RESET_PASSWORD_PATH, opts.origin);
  url.hash = new URLSearchParams({ token }).toString();
  return {
    userId: user.id,
    email: user.email,
    url: url.toString(),
    expiresAt: expiresAt.toISOString(),
    delivery: "manual",
  };
}
