import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { PGlite } from "@electric-sql/pglite";
import postgres, { type Sql } from "postgres";
import type { DatabaseHandle } from "@/lib/db/client";

const EXPORT = "copy (select * from executions) to stdout (format csv)";
const IMPORT = "copy bench_copy from stdin (format csv)";

/**
 * The write half of the benchmark's baseline: the rows the sync stored, written again into
 * a scratch table by one COPY, the fastest way the database takes rows. Only the COPY in
 * is timed. Returns milliseconds.
 */
export async function copyExecutionsBaseline(handle: DatabaseHandle): Promise<number> {
  const raw = (handle.db as unknown as { $client: unknown }).$client;
  return handle.driver === "postgres" ? copyPostgres(raw as Sql) : copyPglite(raw as PGlite);
}

async function copyPostgres(sql: Sql): Promise<number> {
  await sql.unsafe("create table bench_copy (like executions including defaults)");
  const chunks: Buffer[] = [];
  // Exported on a connection of its own: after a large COPY TO, the pooled connection
  // never starts the next COPY (postgres.js 3.4), so that one is closed afterwards.
  const o = sql.options;
  const exporter = postgres({ host: o.host[0], port: o.port[0], database: o.database, user: o.user, pass: o.pass ?? undefined, max: 1 });
  for await (const chunk of await exporter.unsafe(EXPORT).readable()) chunks.push(chunk as Buffer);
  await exporter.end();
  const started = performance.now();
  await pipeline(Readable.from(chunks), await sql.unsafe(IMPORT).writable());
  return performance.now() - started;
}

async function copyPglite(pg: PGlite): Promise<number> {
  await pg.exec("create table bench_copy (like executions including defaults)");
  const exported = await pg.query(EXPORT.replace("stdout", "'/dev/blob'"));
  if (!exported.blob) throw new Error("PGlite returned no COPY data");
  const started = performance.now();
  await pg.query(IMPORT.replace("stdin", "'/dev/blob'"), [], { blob: exported.blob });
  return performance.now() - started;
}
