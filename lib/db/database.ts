import path from "node:path";
import { mkdirSync } from "node:fs";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { env } from "@/lib/core/env";
import { acquireDataDirLock } from "./lock";
import * as schema from "./schema";
import { ensureMonthPartitions } from "./partitions";

// Raw-SQL helpers live apart so that modules database.ts itself uses can import them.
export { isoTime, isoTimeOrNull, queryRows, ts, num, numOrNull } from "./query";

/** The one database type the domain code sees, whichever driver is behind it. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface DatabaseHandle {
  db: Db;
  driver: "pglite" | "postgres";
  close(): Promise<void>;
}

export const MIGRATIONS_FOLDER = path.join(process.cwd(), "drizzle");

/** Seconds a close waits for running queries before dropping the connections. */
const CLOSE_TIMEOUT_SECONDS = 5;

export type OpenOptions =
  | { kind: "postgres"; url: string; max?: number }
  | {
      kind: "pglite";
      dataDir: string | null;
      lock?: boolean;
      /** An in-memory database starts as a copy of this dump (PGlite's dumpDataDir) instead of empty. */
      loadDataDir?: Blob;
    };

/** Chooses the driver the way the whole app does: DATABASE_URL, else PGlite in DATA_DIR. */
export function defaultOpenOptions(): OpenOptions {
  return env.DATABASE_URL
    ? { kind: "postgres", url: env.DATABASE_URL }
    : { kind: "pglite", dataDir: path.resolve(env.DATA_DIR, "pglite"), lock: true };
}

/** Which driver a handle's database runs on, and the embedded database's folder (null in memory). */
export interface DatabaseKind {
  driver: "pglite" | "postgres";
  dataDir: string | null;
}

// On the handle itself, for the resource sampler (lib/telemetry): domain code sees only Db.
// Not a module-level map: Next bundles this module more than once (instrumentation, route
// handlers) and they share the one handle through globalThis, not the module's state.
const KIND = Symbol.for("flowscope.databaseKind");

function setKind(db: object, kind: DatabaseKind): void {
  Object.defineProperty(db, KIND, { value: kind, enumerable: false });
}

export function databaseKind(db: Db): DatabaseKind | null {
  return (db as unknown as { [KIND]?: DatabaseKind })[KIND] ?? null;
}

/** Opens a database and applies pending migrations, so first use needs no extra step. */
export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  if (options.kind === "postgres") {
    const { default: postgres } = await import("postgres");
    const { drizzle } = await import("drizzle-orm/postgres-js");
    const { migrate } = await import("drizzle-orm/postgres-js/migrator");
    const client = postgres(options.url, {
      max: options.max ?? 10,
      onnotice: () => {},
      // date_trunc on timestamptz follows the session zone; buckets are UTC. No JIT: the
      // app's statements are index probes and small aggregates whose estimated cost over
      // month partitions passes jit_above_cost, and compiling took 100 ms a statement
      // (a 30-day overview at 3.8M executions for one client: 109 ms with JIT, 16 without;
      // a rollup statement 0.7 s).
      connection: { TimeZone: "UTC", jit: "off" },
    });
    const db = drizzle(client, { schema });
    await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
    await ensureMonthPartitions(db as unknown as Db);
    setKind(db, { driver: "postgres", dataDir: null });
    // Bounded: end() waits for running queries, forever if a connection hangs.
    return { db: db as unknown as Db, driver: "postgres", close: () => client.end({ timeout: CLOSE_TIMEOUT_SECONDS }) };
  }

  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  let release = () => {};
  if (options.dataDir) {
    // PGlite has no lock of its own; two processes on one folder corrupt it.
    mkdirSync(options.dataDir, { recursive: true });
    if (options.lock !== false) release = acquireDataDirLock(options.dataDir);
  }
  try {
    const client = options.dataDir
      ? await PGlite.create(options.dataDir)
      : await PGlite.create(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {});
    await client.exec("SET TIME ZONE 'UTC'");
    const db = drizzle(client, { schema });
    await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
    await ensureMonthPartitions(db as unknown as Db);
    setKind(db, { driver: "pglite", dataDir: options.dataDir });
    return {
      db: db as unknown as Db,
      driver: "pglite",
      close: async () => {
        await client.close();
        release();
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}

const globalForDb = globalThis as unknown as { flowscopeDb?: Promise<DatabaseHandle> };

/** The process-wide database, opened on first use. */
export function getDatabase(): Promise<DatabaseHandle> {
  globalForDb.flowscopeDb ??= openDatabase(defaultOpenOptions()).catch((err) => {
    globalForDb.flowscopeDb = undefined;
    throw err;
  });
  return globalForDb.flowscopeDb;
}

export async function getDb(): Promise<Db> {
  return (await getDatabase()).db;
}

/**
 * Closes the process-wide database, if it was opened, within a bounded time: a CLI whose
 * database went away must still exit (PGlite has no close timeout of its own, and a
 * handle still opening may never settle). A close that fails or times out is logged.
 */
export async function closeDb(timeoutMs = (CLOSE_TIMEOUT_SECONDS + 1) * 1000): Promise<void> {
  const handle = globalForDb.flowscopeDb;
  globalForDb.flowscopeDb = undefined;
  if (!handle) return;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
    timer.unref();
  });
  try {
    const closing = handle.then((h) => h.close());
    if ((await Promise.race([closing, timedOut])) === "timeout") {
      console.error(`[db] closing the database took over ${timeoutMs} ms; giving up on it`);
    }
  } catch (err) {
    // Opening failed (already reported by whoever awaited it), or the connection is gone.
    console.error(
      `[db] closing the database failed: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`,
    );
  } finally {
    clearTimeout(timer);
  }
}
