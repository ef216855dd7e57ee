import { randomBytes } from "node:crypto";
import { cp, mkdtemp, readFile } from "node:fs/promises";
import path from "node:path";
import postgres from "postgres";
import { inject } from "vitest";
import { openDatabase, type DatabaseHandle } from "@/lib/db/database";
import { flushMetrics } from "@/lib/telemetry";

/**
 * What test/global-setup.ts provided; null outside vitest (the benchmark reuses these
 * helpers from a plain script), where every database is migrated from scratch.
 */
function provided<K extends "pgliteSnapshot" | "templateDatabase">(key: K): string | null {
  try {
    return inject(key) ?? null;
  } catch {
    return null;
  }
}

/**
 * A fresh database for one test file, a copy of the one test/global-setup.ts migrated:
 * in-memory PGlite by default, or a new database on the server named by DATABASE_URL,
 * dropped afterwards. openDatabase still runs the migrator, which finds nothing to do.
 */
export async function createTestDatabase(): Promise<DatabaseHandle> {
  const fresh = await createServerDatabase();
  if (!fresh) {
    const snapshot = provided("pgliteSnapshot");
    const loadDataDir = snapshot ? new Blob([await readFile(snapshot)]) : undefined;
    return flushingOnClose(await openDatabase({ kind: "pglite", dataDir: null, loadDataDir }));
  }
  const handle = await openDatabase({ kind: "postgres", url: fresh.url, max: 4 });
  return flushingOnClose({
    ...handle,
    close: async () => {
      await handle.close();
      await fresh.drop();
    },
  });
}

/** The runs' buffered system metrics are written before the database closes, as the CLI does. */
function flushingOnClose(handle: DatabaseHandle): DatabaseHandle {
  return {
    ...handle,
    close: async () => {
      await flushMetrics(handle.db);
      await handle.close();
    },
  };
}

/**
 * With DATABASE_URL: a new database on that server, already migrated (a copy of the
 * run's template), for a test or a child process such as the CLI, and how to drop it.
 * Without: null, and the caller uses embedded PGlite.
 */
export async function createServerDatabase(): Promise<{ url: string; drop(): Promise<void> } | null> {
  const url = process.env.DATABASE_URL;
  if (!url) return null;
  const name = `flowscope_test_${randomBytes(6).toString("hex")}`;
  const template = provided("templateDatabase");
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await createDatabase(admin, name, template);
  const target = new URL(url);
  target.pathname = `/${name}`;
  return {
    url: target.toString(),
    drop: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/** PostgreSQL refuses to copy a template while another copy of it is being made: try again. */
async function createDatabase(admin: postgres.Sql, name: string, template: string | null): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.unsafe(`create database ${name}${template ? ` template ${template}` : ""}`);
      return;
    } catch (err) {
      const busy = (err as { code?: string }).code === "55006";
      if (!busy || attempt >= 20) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

/** A data folder made from the run's snapshot, once per test file, that seedDataDir copies. */
let seededTemplate: Promise<string> | undefined;

/**
 * Fills `<dataDir>/pglite` (where the app and the CLI keep the embedded database) with a
 * copy of the run's migrated database, so a child process started on it does not migrate
 * from scratch. A no-op with DATABASE_URL.
 *
 * PGlite writes the snapshot out once per test file, into a folder no process opens; each
 * call copies that closed folder's files (a fraction of a second, where starting PGlite
 * to load the snapshot again took over a second of CPU).
 */
export async function seedDataDir(dataDir: string): Promise<void> {
  const snapshot = provided("pgliteSnapshot");
  if (process.env.DATABASE_URL || !snapshot) return;
  seededTemplate ??= writeTemplate(snapshot);
  await cp(await seededTemplate, path.join(dataDir, "pglite"), { recursive: true });
}

async function writeTemplate(snapshot: string): Promise<string> {
  // In the run's scratch folder, which global setup removes at the end.
  const dir = await mkdtemp(path.join(inject("scratchDir"), "seed-"));
  const { PGlite } = await import("@electric-sql/pglite");
  const client = await PGlite.create({ dataDir: dir, loadDataDir: new Blob([await readFile(snapshot)]) });
  await client.close();
  return dir;
}
