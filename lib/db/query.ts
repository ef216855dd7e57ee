import { sql, type SQL } from "drizzle-orm";
import type { Db } from "./database";

/**
 * Runs raw SQL and returns its rows. PGlite answers `{rows}`, postgres.js an array;
 * this is the one place that difference is handled.
 */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/** A timestamptz parameter. ISO text, because postgres.js cannot bind a Date in raw SQL. */
export const ts = (d: Date): SQL => sql`${d.toISOString()}::timestamptz`;

/** A timestamptz column of a raw row as ISO text: a Date from some drivers, a string from others. */
export const isoTime = (v: Date | string): string => (v instanceof Date ? v : new Date(v)).toISOString();
export const isoTimeOrNull = (v: Date | string | null | undefined): string | null => (v == null ? null : isoTime(v));

/** A numeric column of a raw row: postgres.js returns bigint and numeric as strings, PGlite as numbers. */
export const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
export const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
