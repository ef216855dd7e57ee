import { sql } from "drizzle-orm";
import type { Db } from "./database";
import { queryRows } from "./query";

/** Tables partitioned by UTC month of their time column (drizzle/0013). */
export const PARTITIONED_TABLES = ["executions", "llm_usage"] as const;
export type PartitionedTable = (typeof PARTITIONED_TABLES)[number];

/** Months created ahead of the current one, so new rows never land in the default partition. */
const MONTHS_AHEAD = 2;

export interface MonthPartition {
  name: string;
  from: Date;
  to: Date;
}

const monthStart = (year: number, month: number) => new Date(Date.UTC(year, month, 1));

/** The month partitions of `table`, oldest first (the default partition is not one). */
export async function listMonthPartitions(db: Db, table: PartitionedTable): Promise<MonthPartition[]> {
  const rows = await queryRows<{ name: string; bound: string }>(
    db,
    sql`select c.relname as name, pg_get_expr(c.relpartbound, c.oid) as bound
      from pg_inherits i join pg_class c on c.oid = i.inhrelid
      where i.inhparent = ${table}::regclass and c.relkind in ('r', 'p')`,
  );
  const partitions: MonthPartition[] = [];
  for (const { name, bound } of rows) {
    const m = /FROM \('([^']+)'\) TO \('([^']+)'\)/.exec(bound);
    if (m) partitions.push({ name, from: new Date(m[1]), to: new Date(m[2]) });
  }
  return partitions.sort((a, b) => a.from.getTime() - b.from.getTime());
}

/**
 * Creates the month partitions that are missing: this month and the next MONTHS_AHEAD,
 * and every month that has rows in the default partition (late or backfilled history),
 * whose rows move in (flowscope_month_partition, drizzle/0013). Run when the database
 * opens and by the daily retention job. Returns the partitions created.
 */
export async function ensureMonthPartitions(db: Db, now = new Date()): Promise<string[]> {
  const created: string[] = [];
  for (const table of PARTITIONED_TABLES) {
    const column = sql.raw(table === "executions" ? "started_at" : "occurred_at");
    const stray = await queryRows<{ m: Date | string }>(
      db,
      sql`select distinct date_trunc('month', ${column}, 'UTC') as m from ${sql.raw(`${table}_default`)}
        where ${column} is not null`,
    );
    const months = stray.map((r) => new Date(r.m));
    for (let i = 0; i <= MONTHS_AHEAD; i++) months.push(monthStart(now.getUTCFullYear(), now.getUTCMonth() + i));
    created.push(...(await createMonthPartitions(db, table, months)));
  }
  return created;
}

/** Creates the partitions of `table` for the months of `times` that have none; returns their names. */
export async function createMonthPartitions(db: Db, table: PartitionedTable, times: Date[]): Promise<string[]> {
  const existing = new Set((await listMonthPartitions(db, table)).map((p) => p.from.getTime()));
  const months = new Set(times.map((t) => monthStart(t.getUTCFullYear(), t.getUTCMonth()).getTime()));
  const created: string[] = [];
  for (const month of [...months].sort((a, b) => a - b)) {
    if (existing.has(month)) continue;
    const [row] = await queryRows<{ name: string | null }>(
      db,
      sql`select flowscope_month_partition(${table}::regclass, ${new Date(month).toISOString()}::timestamptz) as name`,
    );
    if (row.name) created.push(row.name);
  }
  return created;
}

/** One time per month from `from` to `to`, for createMonthPartitions. */
export function monthsBetween(from: Date, to: Date): Date[] {
  const months: Date[] = [];
  for (let m = monthStart(from.getUTCFullYear(), from.getUTCMonth()); m <= to;) {
    months.push(m);
    m = monthStart(m.getUTCFullYear(), m.getUTCMonth() + 1);
  }
  return months;
}
