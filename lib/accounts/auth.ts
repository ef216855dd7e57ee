import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { APIError, createAuthMiddleware } from "better-auth/api";
import type { Db } from "@/lib/db/database";
import { getDb } from "@/lib/db/database";
import { accounts, rateLimits, sessions, users, verifications } from "@/lib/db/schema";
import { env, insecureDefaultsAllowed } from "@/lib/core/env";
import { AUTH_COOKIE_PREFIX } from "./cookie";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordProblem } from "./password-policy";
import { requestOrigin } from "./origin";
import { clientAddress } from "./peer-address";
import { deliverResetToken, revokeResetTokens } from "./reset-token";
import { afterSignIn, beforeSignIn, clearSignInFailures } from "./sign-in-limit";

/** Publicly known; accepted only where insecure defaults are (demo, development, tests). */
const INSECURE_DEV_SECRET = "flowscope-insecure-development-secret-do-not-deploy";

export const SIGN_IN_PATH = "/sign-in/email";

/**
 * How long an admin's reset link stays valid. It is handed over by hand (no email yet),
 * which can take longer than better-auth's default hour; it still works only once.
 */
export const RESET_LINK_TTL_SECONDS = 24 * 60 * 60;

export function authSecret(): string {
  if (env.BETTER_AUTH_SECRET) return env.BETTER_AUTH_SECRET;
  if (!insecureDefaultsAllowed) {
    throw new Error(
      "BETTER_AUTH_SECRET is required outside demo and development (generate one: openssl rand -base64 32)",
    );
  }
  return INSECURE_DEV_SECRET;
}

function trustedOriginOf(request: Request | undefined): string[] {
  const origin = request && requestOrigin(request);
  return origin ? [origin] : [];
}

/**
 * Whether the session cookie is marked Secure: wherever the app is served over https.
 * Without BETTER_AUTH_URL that is assumed outside demo and development (demo and local
 * runs are plain http).
 */
const secureCookies = env.BETTER_AUTH_URL ? env.BETTER_AUTH_URL.startsWith("https://") : !insecureDefaultsAllowed;

/**
 * The only header better-auth takes a client's address from (its rate limiter, the
 * sessions' ipAddress). handle() below sets it on every request from clientAddress, or
 * removes it, so whatever a client sent under this name never counts.
 */
const CLIENT_ADDRESS_HEADER = "x-flowscope-client-address";

function withClientAddress(request: Request): Request {
  const headers = new Headers(request.headers);
  const address = clientAddress(request.headers);
  if (address) headers.set(CLIENT_ADDRESS_HEADER, address);
  else headers.delete(CLIENT_ADDRESS_HEADER);
  return new Request(request, { headers });
}

/** better-auth's own 429 carries only X-Retry-After; Retry-After is the standard one. */
function withRetryAfter(response: Response): Response {
  const wait = response.headers.get("x-retry-after");
  if (response.status !== 429 || !wait || response.headers.has("retry-after")) return response;
  const headers = new Headers(response.headers);
  headers.set("retry-after", wait);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** better-auth endpoints that set a password, and the body field that holds it. */
const NEW_PASSWORD_FIELDS: Record<string, string> = {
  "/change-password": "newPassword",
  "/reset-password": "newPassword",
  "/set-password": "newPassword",
  "/sign-up/email": "password",
};

/** The same password rule as lib/accounts/users.ts, for passwords set through better-auth. */
function assertAcceptableNewPassword(path: string, body: unknown): void {
  const field = NEW_PASSWORD_FIELDS[path];
  const password = field ? (body as Record<string, unknown> | undefined)?.[field] : undefined;
  if (typeof password !== "string") return;
  const problem = passwordProblem(password);
  if (problem) throw new APIError("BAD_REQUEST", { message: `${field}: ${problem}`, code: "PASSWORD_REJECTED" });
}

/**
 * Better Auth's log lines, as it would print them, but one: without BETTER_AUTH_URL it
 * warns at every start that the base URL is not set. That is a supported setup here (the
 * origin is the one the browser addressed, and trustedOriginOf checks it; README), and
 * a start-up warning about it would only teach operators to ignore warnings.
 */
function logAuth(level: "debug" | "info" | "warn" | "error", message: string, ...args: unknown[]): void {
  if (!env.BETTER_AUTH_URL && message.includes("Base URL is not set")) return;
  const write = level === "error" ? console.error : level === "warn" ? console.warn : console.log;
  write(message, ...args);
}

function createAuth(db: Db) {
  const auth = betterAuth({
    appName: "Flowscope",
    secret: authSecret(),
    baseURL: env.BETTER_AUTH_URL,
    // Without a public URL, the origin a browser addressed is trusted: a same-origin check,
    // which is what the CSRF guard is for (apiRoute applies the same one, lib/api/same-origin.ts).
    trustedOrigins: env.BETTER_AUTH_URL ? undefined : trustedOriginOf,
    basePath: "/api/auth",
    database: drizzleAdapter(db, {
      provider: "pg",
      schema: { user: users, session: sessions, account: accounts, verification: verifications, rateLimit: rateLimits },
    }),
    // Accounts are created by admins (lib/accounts/users.ts), never by visitors.
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: PASSWORD_MIN_LENGTH,
      maxPasswordLength: PASSWORD_MAX_LENGTH,
      // Reset tokens are better-auth's own (verification rows, single use, expiring), but
      // only admins issue them (lib/accounts/password-reset.ts): the token comes back to
      // the admin as a link instead of an email.
      sendResetPassword: deliverResetToken,
      resetPasswordTokenExpiresIn: RESET_LINK_TTL_SECONDS,
      // Whoever held the old password is signed out everywhere.
      revokeSessionsOnPasswordReset: true,
      // The new password works at once, even if the account was waiting after failed sign-ins.
      // Any other link issued for the account stops working too.
      onPasswordReset: async ({ user }) => {
        await clearSignInFailures(db, user.email);
        await revokeResetTokens(db, user.id);
      },
    },
    // Anyone could ask for a reset of any email here, filling the verification table with
    // tokens nobody can receive; admins issue them through the admin API instead.
    // auth.api calls (server side) are not routed, so they still reach it.
    disabledPaths: ["/request-password-reset"],
    user: {
      additionalFields: {
        role: { type: "string", required: true, input: false, defaultValue: "client" },
        clientId: { type: "number", required: false, input: false },
      },
    },
    session: { expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24 },
    rateLimit: {
      enabled: true,
      storage: "database",
      window: 60,
      max: 300,
      // Per address (CLIENT_ADDRESS_HEADER); the per-account limit is in the hooks below.
      customRules: { [SIGN_IN_PATH]: { window: 60, max: env.AUTH_SIGNIN_MAX_PER_MINUTE } },
    },
    // Hooks run for HTTP requests after the per-address limit and for server-side
    // auth.api calls alike, before the endpoint validates or checks anything.
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path === SIGN_IN_PATH) await beforeSignIn(db, ctx.body);
        assertAcceptableNewPassword(ctx.path, ctx.body);
      }),
      after: createAuthMiddleware(async (ctx) => {
        if (ctx.path === SIGN_IN_PATH) await afterSignIn(db, ctx.body, ctx.context.returned);
      }),
    },
    advanced: {
      useSecureCookies: secureCookies,
      cookiePrefix: AUTH_COOKIE_PREFIX,
      // A single address that withClientAddress resolved (trusted proxies included), so
      // better-auth is given no proxies of its own to walk.
      ipAddress: { ipAddressHeaders: [CLIENT_ADDRESS_HEADER] },
    },
    telemetry: { enabled: false },
    // Tests sign in with wrong passwords on purpose; elsewhere those warnings are worth logging.
    logger: { disabled: env.NODE_ENV === "test", log: logAuth },
  });
  const handler = auth.handler;
  // Every HTTP entry (the route, tests) goes through here: no way to reach better-auth's
  // rate limiter with an address the client chose.
  const handle = async (request: Request) => withRetryAfter(await handler(withClientAddress(request)));
  return { ...auth, handler: handle, fetch: handle };
}

/** Why ADMIN_PASSWORD (with ADMIN_EMAIL, the first admin) would be refused; null when it is fine or unset. */
export function adminPasswordProblem(): string | null {
  if (!env.ADMIN_EMAIL || !env.ADMIN_PASSWORD) return null;
  return passwordProblem(env.ADMIN_PASSWORD);
}

/**
 * The line the server prints at start when a plain-http deployment would silently fail
 * to sign anyone in (browsers drop Secure cookies received over http, localhost aside);
 * null when there is nothing to say.
 */
export function secureCookieNotice(): string | null {
  if (env.BETTER_AUTH_URL || !secureCookies) return null;
  return (
    "[flowscope] BETTER_AUTH_URL is not set, so the session cookie is Secure: browsers drop it over plain http " +
    "(except on localhost) and sign-in will not stick. Set BETTER_AUTH_URL to the URL people open " +
    "(https://… keeps the cookie Secure; http://… only on a network you trust)."
  );
}

export type Auth = ReturnType<typeof createAuth>;

/** One better-auth instance per database handle (tests swap the app database). */
const instances = new WeakMap<Db, Auth>();

export function authFor(db: Db): Auth {
  let auth = instances.get(db);
  if (!auth) instances.set(db, (auth = createAuth(db)));
  return auth;
}

export async function getAuth(): Promise<Auth> {
  return authFor(await getDb());
}
