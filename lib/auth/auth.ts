import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import type { Db } from "@/lib/db/client";
import { getDb } from "@/lib/db/client";
import { accounts, rateLimits, sessions, users, verifications } from "@/lib/db/schema";
import { env, insecureDefaultsAllowed } from "@/lib/env";
import { AUTH_COOKIE_PREFIX } from "./cookie";

/** Publicly known; accepted only where insecure defaults are (demo, development, tests). */
const INSECURE_DEV_SECRET = "flowscope-insecure-development-secret-do-not-deploy";

export const SIGN_IN_PATH = "/sign-in/email";

export function authSecret(): string {
  if (env.BETTER_AUTH_SECRET) return env.BETTER_AUTH_SECRET;
  if (!insecureDefaultsAllowed) {
    throw new Error("BETTER_AUTH_SECRET is required outside demo and development (generate one: openssl rand -base64 32)");
  }
  return INSECURE_DEV_SECRET;
}

/**
 * Without BETTER_AUTH_URL, the origin a browser addressed (its Host header) is trusted:
 * that is a same-origin check, which is what the CSRF guard is for. Next hands route
 * handlers a URL normalised to "localhost", so the URL alone would refuse a browser on
 * 127.0.0.1.
 */
function requestOrigin(request: Request | undefined): string[] {
  const host = request?.headers.get("host");
  if (!request || !host) return [];
  const proto = request.headers.get("x-forwarded-proto") ?? new URL(request.url).protocol.replace(":", "");
  return [`${proto}://${host}`];
}

function createAuth(db: Db) {
  return betterAuth({
    appName: "Flowscope",
    secret: authSecret(),
    baseURL: env.BETTER_AUTH_URL,
    trustedOrigins: env.BETTER_AUTH_URL ? undefined : requestOrigin,
    basePath: "/api/auth",
    database: drizzleAdapter(db, {
      provider: "pg",
      schema: { user: users, session: sessions, account: accounts, verification: verifications, rateLimit: rateLimits },
    }),
    // Accounts are created by admins (lib/auth/users.ts), never by visitors.
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 8 },
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
      customRules: { [SIGN_IN_PATH]: { window: 60, max: env.AUTH_SIGNIN_MAX_PER_MINUTE } },
    },
    advanced: {
      // Secure cookies wherever the app is served over https; demo and local runs are plain http.
      useSecureCookies: env.BETTER_AUTH_URL ? env.BETTER_AUTH_URL.startsWith("https://") : !insecureDefaultsAllowed,
      cookiePrefix: AUTH_COOKIE_PREFIX,
      ipAddress: { ipAddressHeaders: [env.AUTH_IP_HEADER], trustedProxies: env.AUTH_TRUSTED_PROXIES },
    },
    telemetry: { enabled: false },
    // Tests sign in with wrong passwords on purpose; elsewhere those warnings are worth logging.
    logger: { disabled: env.NODE_ENV === "test" },
  });
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
