import { eq, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/database";
import { floorHour } from "@/lib/core/zone-time";
import { systemMetricHoursPending, systemMetrics, type SystemMetricRow } from "@/lib/db/schema";
import { FLOWSCOPE_SERVICE } from "./names";
import type { MetricPoint, SystemMetricView } from "./point";

/** Rows per insert statement: jsonb labels keep each row small, and Postgres allows 65k parameters. */
const ROWS_PER_STATEMENT = 1000;

/**
 * Writes points in one transaction, and marks their hours as still to aggregate in the
 * same one: all of them or, on a failure, none. Answers the new rows' ids in order.
 */
export async function insertMetricPoints(db: Db, points: readonly MetricPoint[], now = new Date()): Promise<number[]> {
  if (points.length === 0) return [];
  const rows = points.map((p) => ({
    type: p.type,
    name: p.name,
    value: p.value,
    unit: p.unit ?? null,
    service: p.service ?? FLOWSCOPE_SERVICE,
    labels: p.labels ?? {},
    recordedAt: p.at ?? now,
  }));
  const hours = [...new Set(rows.map((r) => floorHour(r.recordedAt).getTime()))];
  return db.transaction(async (tx) => {
    const ids: number[] = [];
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
      const inserted = await tx
        .insert(systemMetrics)
        .values(rows.slice(i, i + ROWS_PER_STATEMENT))
        .returning({ id: systemMetrics.id });
      ids.push(...inserted.map((r) => r.id));
    }
    // An upsert, not "do nothing": it holds the mark's row lock until this commits, so an
    // aggregation of the hour (aggregate.ts) waits for these points instead of missing them.
    await tx
      .insert(systemMetricHoursPending)
      .values(hours.map((h) => ({ hour: new Date(h) })))
      .onConflictDoUpdate({ target: systemMetricHoursPending.hour, set: { hour: sql`excluded.hour` } });
    return ids;
  });
}

export function toMetricView(row: SystemMetricRow): SystemMetricView {
  return {
    id: row.id,
    type: row.type,
    name: row.name,
    value: row.value,
    unit: row.unit,
    service: row.service,
    labels: row.labels,
    timestamp: row.recordedAt.toISOString(),
  };
}

/** A point just written, as the API answers it (without reading it back). */
export function toMetricViewOf(id: number, p: MetricPoint, now = new Date()): SystemMetricView {
  return {
    id,
    type: p.type,
    name: p.name,
    value: p.value,
    unit: p.unit ?? null,
    service: p.service ?? FLOWSCOPE_SERVICE,
    labels: p.labels ?? {},
    timestamp: (p.at ?? now).toISOString(),
  };
}

export async function getMetricPoint(db: Db, id: number): Promise<SystemMetricView | null> {
  const [row] = await db.select().from(systemMetrics).where(eq(systemMetrics.id, id));
  return row ? toMetricView(row) : null;
}
