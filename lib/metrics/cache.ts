/**
 * In-process cache of what the rollups answer.
 *
 * Entries are keyed by endpoint + normalised parameters and stamped with the data
 * version they were computed at. Every read first asks the database for the current
 * version (one small query), so an entry is served only while no sync, rollup, backfill,
 * retention or reclassify run has finished since: never data older than the last
 * completed sync, even when another process (the CLI, an Inngest worker on the same
 * database) did the writing.
 *
 * The version of a client counts the finished sync_runs of that client and of no client
 * (retention and the all-clients rollup job record client_id null), kept by a trigger in
 * data_versions. Every job that writes executions or rollups runs under `recordRun`,
 * which sets finished_at when it ends, success or error, so each completion bumps it.
 * The version is read before computing, so the data stored under it is at least as new
 * as the version says.
 *
 * A TTL bounds how long an entry can survive a write that bypassed recordRun (manual
 * SQL); the LRU bound keeps memory small. Live endpoints are not cached.
 */
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/lib/db/database";

export const CACHE_MAX_ENTRIES = 500;
export const CACHE_TTL_MS = 5 * 60_000;

interface Entry {
  version: string;
  expiresAt: number;
  /** The promise, so concurrent identical requests share one computation. */
  value: Promise<unknown>;
}

interface CacheState {
  /** One LRU per database handle: tests and tools may open several in one process. */
  byDb: WeakMap<object, Map<string, Entry>>;
  hits: number;
  misses: number;
}

// On globalThis: route handlers and server components may load this module twice.
const globalForCache = globalThis as unknown as { flowscopeMetricsCache?: CacheState };
const state: CacheState = (globalForCache.flowscopeMetricsCache ??= { byDb: new WeakMap(), hits: 0, misses: 0 });

function lruFor(db: Db): Map<string, Entry> {
  let lru = state.byDb.get(db);
  if (!lru) {
    lru = new Map();
    state.byDb.set(db, lru);
  }
  return lru;
}

/**
 * The data version of a client's rollups (clientId null: of every client): the
 * data_versions counters that a trigger on sync_runs bumps when a run finishes (migration
 * 0010). A client's version is its own counter and that of runs of no client (retention,
 * the all-clients rollup); every client's is the sum of all counters, a row per client.
 */
export async function dataVersion(db: Db, clientId: number | null): Promise<string> {
  if (clientId === null) {
    const [row] = await queryRows<{ v: unknown }>(db, sql`select coalesce(sum(version), 0) as v from data_versions`);
    return `all:${String(row?.v ?? 0)}`;
  }
  const rows = await queryRows<{ scope: unknown; version: unknown }>(
    db,
    sql`select scope, version from data_versions where scope in (${clientId}, 0)`,
  );
  const of = (scope: number) => String(rows.find((r) => Number(r.scope) === scope)?.version ?? 0);
  return `${of(clientId)}/${of(0)}`;
}

/** A stable key: object keys sorted, dates as ISO strings, undefined dropped. */
export function cacheKey(endpoint: string, params: Record<string, unknown>): string {
  const norm = (value: unknown): unknown => {
    if (value instanceof Date) return value.toISOString();
    if (Array.isArray(value)) return value.map(norm);
    if (value && typeof value === "object") {
      return Object.fromEntries(
        Object.keys(value)
          .sort()
          .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
          .map((k) => [k, norm((value as Record<string, unknown>)[k])]),
      );
    }
    return value;
  };
  return `${endpoint}:${JSON.stringify(norm(params))}`;
}

/**
 * Returns the cached answer for (endpoint, params) if it was computed at the current
 * data version, else computes, stores and returns it. Callers must treat the value as
 * immutable: later hits return the same object.
 */
export async function cachedQuery<T>(
  db: Db,
  opts: { endpoint: string; clientId: number | null; params: Record<string, unknown> },
  compute: () => Promise<T>,
): Promise<T> {
  const version = await dataVersion(db, opts.clientId);
  const key = cacheKey(opts.endpoint, { clientId: opts.clientId, ...opts.params });
  const lru = lruFor(db);
  const now = Date.now();
  const hit = lru.get(key);
  if (hit && hit.version === version && hit.expiresAt > now) {
    // Re-insert: a Map iterates in insertion order, so the first key is the least recent.
    lru.delete(key);
    lru.set(key, hit);
    state.hits++;
    return hit.value as Promise<T>;
  }
  state.misses++;
  const value = compute();
  lru.delete(key);
  lru.set(key, { version, expiresAt: now + CACHE_TTL_MS, value });
  while (lru.size > CACHE_MAX_ENTRIES) {
    const oldest = lru.keys().next().value;
    if (oldest === undefined) break;
    lru.delete(oldest);
  }
  // A failed computation is not an answer: drop it so the next request retries.
  value.catch(() => {
    if (lru.get(key)?.value === value) lru.delete(key);
  });
  return value;
}

/** Hit and miss counts since start (or the last clear), for tests and the system page. */
export function metricsCacheStats(): { hits: number; misses: number } {
  return { hits: state.hits, misses: state.misses };
}

/** Drops every entry (tests; an operator's "refresh"). */
export function clearMetricsCache(): void {
  state.byDb = new WeakMap();
  state.hits = 0;
  state.misses = 0;
}
