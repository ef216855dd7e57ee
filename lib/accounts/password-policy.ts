import { dictionary } from "@zxcvbn-ts/language-common";
import { z } from "zod";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "./password-length";

export { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH };

/**
 * zxcvbn-ts's list of ~49,000 passwords seen most often in leaks, lowercased by the
 * package; a Set so each check is one lookup. Loaded once per process.
 */
const COMMON_PASSWORDS: ReadonlySet<string> = new Set(dictionary["passwords-common"]);

const TOO_SHORT = `must be at least ${PASSWORD_MIN_LENGTH} characters, not counting spaces at either end`;
const TOO_LONG = `must be at most ${PASSWORD_MAX_LENGTH} characters`;

/**
 * Why a new password is refused, or null when it is acceptable. The one rule for every
 * path that sets a password (lib/accounts/users.ts, better-auth's change/reset endpoints
 * through lib/accounts/auth.ts, ADMIN_PASSWORD at start).
 *
 * Spaces at either end do not count towards the length, so "        " or a short word
 * padded with spaces is refused; the password itself is stored as typed.
 */
export function passwordProblem(password: string): string | null {
  if (password.length > PASSWORD_MAX_LENGTH) return TOO_LONG;
  const content = password.trim();
  // Code points, so a password of emoji is not counted double.
  if ([...content].length < PASSWORD_MIN_LENGTH) return TOO_SHORT;
  if (COMMON_PASSWORDS.has(content.toLowerCase())) return "is one of the most common passwords";
  return null;
}

/**
 * The rule as a zod field, so input schemas answer "password: <problem>" like any other
 * field. min/max are there for the OpenAPI document; the refinement is the rule.
 */
export const NewPassword = z
  .string()
  .min(PASSWORD_MIN_LENGTH, TOO_SHORT)
  .max(PASSWORD_MAX_LENGTH, TOO_LONG)
  .superRefine((password, ctx) => {
    const problem = passwordProblem(password);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
