import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { sql } from "drizzle-orm";
import { MIGRATIONS_FOLDER, queryRows, type Db } from "@/lib/db/database";
import { packHistogram } from "@/lib/core/histogram";

/**
 * Upgrading a database that holds data: migrations up to `last` are applied first, rows
 * written as that schema had them, then the rest.
 */
async function migrationsUpTo(last: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "flowscope-migrations-"));
  await cp(MIGRATIONS_FOLDER, dir, { recursive: true });
  const journalPath = path.join(dir, "meta", "_journal.json");
  const journal = JSON.parse(await readFile(journalPath, "utf8")) as { entries: Array<{ tag: string }> };
  const end = journal.entries.findIndex((e) => e.tag === last);
  expect(end).toBeGreaterThanOrEqual(0);
  journal.entries = journal.entries.slice(0, end + 1);
  await writeFile(journalPath, JSON.stringify(journal));
  return dir;
}

let client: PGlite;
let db: Db;
let oldMigrations: string;
beforeAll(async () => {
  client = await PGlite.create();
  await client.exec("SET TIME ZONE 'UTC'");
  db = drizzle(client) as unknown as Db;
  oldMigrations = await migrationsUpTo("0012_client_time_zones");
});
afterAll(async () => {
  await client.close();
  await rm(oldMigrations, { recursive: true, force: true });
});

describe("upgrading a database with data", () => {
  it("partitions executions and usage by month and packs every stored histogram, keeping every row", async () => {
    await migrate(drizzle(client), { migrationsFolder: oldMigrations });
    await db.execute(sql`insert into clients (id, name, slug, n8n_base_url, n8n_api_key)
      values (1, 'A', 'a', 'http://n8n.invalid', 'k')`);
    await db.execute(sql`insert into workflows (id, client_id, n8n_workflow_id, name) values (1, 1, 'w1', 'W')`);
    await db.execute(sql`insert into executions (client_id, workflow_id, n8n_execution_id, status, mode, finished,
        started_at, is_production)
      values (1, 1, 10, 'success', 'trigger', true, '2025-03-31 23:59:59+00', true),
        (1, 1, 11, 'success', 'trigger', true, '2025-04-01 00:00:00+00', false),
        (1, 1, 12, 'new', 'webhook', false, null, true)`);
    await db.execute(sql`insert into llm_usage (client_id, workflow_id, n8n_execution_id, model, source,
        idempotency_key, occurred_at)
      values (1, 1, 11, 'gpt-4o-mini', 'n8n', 'k11', '2025-04-01 00:00:01+00')`);
    const histogram = { z: 2, "0": 1, "365": 40, "1000": 7 };
    for (const table of ["rollups", "rollup_archive"]) {
      await db.execute(sql`insert into ${sql.identifier(table)} (client_id, workflow_id, granularity, bucket_start,
          total, latency_histogram)
        values (1, 1, 'day', '2025-03-31 00:00:00+00', 50, ${JSON.stringify(histogram)}::jsonb),
          (1, 1, 'hour', '2025-03-31 05:00:00+00', 0, '{}'::jsonb)`);
    }
    await db.execute(sql`insert into client_rollups (client_id, granularity, bucket_start, total, latency_histogram)
      values (1, 'day', '2025-03-31 00:00:00+00', 50, ${JSON.stringify(histogram)}::jsonb)`);

    await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });

    const placed = await queryRows<{ p: string; id: number }>(
      db,
      sql`select tableoid::regclass::text as p, n8n_execution_id as id from executions order by 2`,
    );
    expect(placed.map((r) => [r.p, Number(r.id)])).toEqual([
      ["executions_2025_03", 10],
      ["executions_2025_04", 11],
      ["executions_default", 12],
    ]);
    const usage = await queryRows<{ p: string }>(db, sql`select tableoid::regclass::text as p from llm_usage`);
    expect(usage.map((r) => r.p)).toEqual(["llm_usage_2025_04"]);
    const keys = await queryRows<{ k: string }>(db, sql`select idempotency_key as k from llm_usage_keys`);
    expect(keys.map((r) => r.k)).toEqual(["k11"]);
    // The key still holds: the same execution cannot be stored twice, started or not.
    for (const [id, start] of [
      [10, "'2025-03-31 23:59:59+00'"],
      [12, "null"],
    ] as const) {
      await expect(
        db.execute(sql`insert into executions (client_id, workflow_id, n8n_execution_id, status, mode, is_production,
            started_at) values (1, 1, ${id}, 'success', 'trigger', true, ${sql.raw(start)})`),
      ).rejects.toThrow();
    }
    await db.execute(sql`delete from rollup_dirty_hours`);
    // New rows get new ids from the same sequence (the refused inserts drew two).
    const [next] = await queryRows<{ id: number }>(
      db,
      sql`insert into executions (client_id, workflow_id, n8n_execution_id, status, mode, is_production, started_at)
        values (1, 1, 13, 'success', 'trigger', true, '2025-04-02 00:00:00+00') returning id`,
    );
    expect(Number(next.id)).toBe(6);
    // The queue triggers came back with the tables: the new row's hour is queued.
    const queued = await queryRows<{ hour: unknown }>(db, sql`select hour from rollup_dirty_hours`);
    expect(queued.map((q) => new Date(String(q.hour)).toISOString())).toEqual(["2025-04-02T00:00:00.000Z"]);

    const packed = packHistogram(histogram);
    for (const table of ["rollups", "rollup_archive", "client_rollups"]) {
      const rows = await queryRows<{ granularity: string; h: unknown }>(
        db,
        sql`select granularity, latency_histogram as h from ${sql.identifier(table)} order by granularity`,
      );
      const expected =
        table === "client_rollups"
          ? [["day", packed]]
          : [
              ["day", packed],
              ["hour", []],
            ];
      expect(
        rows.map((r) => [r.granularity, (r.h as unknown[]).map(Number)]),
        table,
      ).toEqual(expected);
    }
  });
});
