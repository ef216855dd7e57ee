import type { DatabaseHandle } from "@/lib/db/client";

/**
 * Points the process-wide database (`getDb()`, which route handlers use) at a test
 * database. lib/db/client.ts keeps the handle on globalThis.flowscopeDb.
 */
export function useAsAppDatabase(handle: DatabaseHandle): void {
  (globalThis as unknown as { flowscopeDb?: Promise<DatabaseHandle> }).flowscopeDb = Promise.resolve(handle);
}

type RouteGet = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** Calls a route handler the way Next does: a Request and a params promise. */
export function callRoute(get: RouteGet, url: string, params: Record<string, string> = {}): Promise<Response> {
  return get(new Request(`http://x${url}`), { params: Promise.resolve(params) });
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
export function pinClock(vi: { useFakeTimers(config: { toFake: Array<"Date"> }): unknown; setSystemTime(now: Date): unknown }, now: Date): void {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(now);
}
