import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { openDatabase, type DatabaseHandle } from "@/lib/db/client";

/**
 * A fresh database for one test file, built by the real migrations: in-memory PGlite by
 * default, or a new database on the server named by DATABASE_URL, dropped afterwards.
 */
export async function createTestDatabase(): Promise<DatabaseHandle> {
  const fresh = await createServerDatabase();
  if (!fresh) return openDatabase({ kind: "pglite", dataDir: null });
  const handle = await openDatabase({ kind: "postgres", url: fresh.url, max: 4 });
  return {
    ...handle,
    close: async () => {
      await handle.close();
      await fresh.drop();
    },
  };
}

/**
 * With DATABASE_URL: a new, empty database on that server (for a child process such as
 * the CLI), and how to drop it. Without: null, and the caller uses embedded PGlite.
 */
export async function createServerDatabase(): Promise<{ url: string; drop(): Promise<void> } | null> {
  const url = process.env.DATABASE_URL;
  if (!url) return null;
  const name = `flowscope_test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
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
