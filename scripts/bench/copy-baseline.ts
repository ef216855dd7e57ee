import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { PGlite } from "@electric-sql/pglite";
import postgres, { type Sql } from "postgres";
import type { DatabaseHandle } from "@/lib/db/database";

/** The tables a sync fills with one row per execution or per LLM call. */
const TABLES = ["executions", "llm_usage"] as const;
type Table = (typeof TABLES)[number];

const exportSql = (table: Table) => `copy (select * from ${table}) to stdout (format csv)`;
const importSql = (table: Table) => `copy bench_copy_${table} from stdin (format csv)`;
const scratchSql = (table: Table) => `create table bench_copy_${table} (like ${table} including defaults)`;

/**
 * The write half of the benchmark's baseline: the rows the sync stored (executions and
 * LLM usage), written again into scratch tables without indexes by one COPY per table,
 * the fastest way the database takes rows. Only the COPYs in are timed. Returns
 * milliseconds.
 */
export async function copyBaseline(handle: DatabaseHandle): Promise<number> {
  const raw = (handle.db as unknown as { $client: unknown }).$client;
  let ms = 0;
  for (const table of TABLES) {
    ms += handle.driver === "postgres" ? await copyPostgres(raw as Sql, table) : await copyPglite(raw as PGlite, table);
  }
  return ms;
}

async function copyPostgres(sql: Sql, table: Table): Promise<number> {
  await sql.unsafe(scratchSql(table));
  const chunks: Buffer[] = [];
  // Exported on a connection of its own: after a large COPY TO, the pooled connection
  // never starts the next COPY (postgres.js 3.4), so that one is closed afterwards.
  const o = sql.options;
  const exporter = postgres({
    host: o.host[0],
    port: o.port[0],
    database: o.database,
    user: o.user,
    pass: o.pass ?? undefined,
    max: 1,
  });
  for await (const chunk of await exporter.unsafe(exportSql(table)).readable()) chunks.push(chunk as Buffer);
  await exporter.end();
  const started = performance.now();
  await pipeline(Readable.from(chunks), await sql.unsafe(importSql(table)).writable());
  return performance.now() - started;
}

async function copyPglite(pg: PGlite, table: Table): Promise<number> {
  await pg.exec(scratchSql(table));
  const exported = await pg.query(exportSql(table).replace("stdout", "'/dev/blob'"));
  if (!exported.blob) throw new Error("PGlite returned no COPY data");
  const started = performance.now();
  await pg.query(importSql(table).replace("stdin", "'/dev/blob'"), [], { blob: exported.blob });
  return performance.now() - started;
}
