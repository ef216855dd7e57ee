import type { DatabaseHandle } from "@/lib/db/database";
import { createApiToken } from "@/lib/accounts/tokens";

const globalForDb = globalThis as unknown as { flowscopeDb?: Promise<DatabaseHandle> };

/**
 * The one way tests swap the app's database: points the process-wide database
 * (`getDb()`/`getDatabase()`, which route handlers, jobs and Inngest functions use) at a
 * test database. lib/db/database.ts keeps the handle on globalThis.flowscopeDb.
 */
export function useAsAppDatabase(handle: DatabaseHandle): void {
  globalForDb.flowscopeDb = Promise.resolve(handle);
}

type RouteGet = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

const operatorTokens = new WeakMap<object, Promise<string>>();

/**
 * A global API token in the current app database: it reads every client like an
 * operator, so tests of what routes answer need not sign in. Authorization itself is
 * tested in auth-routes.test.ts.
 */
export async function operatorToken(): Promise<string> {
  const handle = (await globalForDb.flowscopeDb) as DatabaseHandle;
  let token = operatorTokens.get(handle.db);
  if (!token) {
    token = createApiToken(handle.db, { name: "tests (operator)" }, null).then((t) => t.token);
    operatorTokens.set(handle.db, token);
  }
  return token;
}

export interface CallOptions extends Omit<RequestInit, "headers"> {
  headers?: Record<string, string>;
  /** Bearer token to send; default a global (operator) token; null sends no credentials. */
  token?: string | null;
  /** Origin of a cookie-carried write: default the app's own (a browser on its pages); null sends none. */
  origin?: string | null;
}

/**
 * Calls a route handler the way Next does: a Request and a params promise. A request
 * with a session cookie that changes state gets the Origin a browser on the app's own
 * pages sends (the app is at http://x here), unless the caller sets one.
 */
export async function callRoute(
  get: RouteGet,
  url: string,
  params: Record<string, string> = {},
  options: CallOptions = {},
): Promise<Response> {
  const { token, origin, headers = {}, ...init } = options;
  const bearer = token === undefined ? await operatorToken() : token;
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  const method = (init.method ?? "GET").toUpperCase();
  const write = method !== "GET" && method !== "HEAD";
  if (headers.cookie && write && !("origin" in headers) && origin !== null) headers.origin = origin ?? "http://x";
  return get(new Request(`http://x${url}`, { ...init, headers }), { params: Promise.resolve(params) });
}

/**
 * POSTs `body` as JSON to a route handler: callRoute with method POST, the body
 * serialized and `content-type: application/json` (a header in `options` wins, so a test
 * can send the same body as text/plain). Credentials and Origin follow callRoute's rules.
 */
export function postJson(
  route: RouteGet,
  url: string,
  body: unknown,
  options: Omit<CallOptions, "method" | "body"> & { params?: Record<string, string> } = {},
): Promise<Response> {
  const { params = {}, headers = {}, ...rest } = options;
  return callRoute(route, url, params, {
    ...rest,
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

/** Builds a query string from an object, leaving out undefined values. */
export function qs(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) search.set(key, String(value));
  return search.toString();
}

/**
 * Pins `new Date()` (only Date: timers stay real, so database drivers work) for the
 * route handlers, whose relative ranges, retention-aware source choice and freshness
 * read the clock. Undo with vi.useRealTimers().
 */
export function pinClock(
  vi: { useFakeTimers(config: { toFake: Array<"Date"> }): unknown; setSystemTime(now: Date): unknown },
  now: Date,
): void {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(now);
}
