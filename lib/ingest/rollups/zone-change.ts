/**
 * Changing a client's time zone. Day, week and month buckets can only be rebuilt where
 * every hour under them is still held: hour rows leave with hourly retention, folded into
 * their day's archive (retire.ts). So the new zone begins at a boundary, the first local
 * month start in the new zone from whose old-zone day on every hour is held; buckets
 * from there on are rebuilt from hour rows in the new zone, exactly. Buckets before it
 * keep the old zone (a client_zone_eras row), and the last old day, week and month end at
 * the boundary (calendar.ts). A client whose day rows all lie after the boundary has
 * nothing to keep: all its buckets are rebuilt in the new zone and no era is recorded.
 */
import { sql } from "drizzle-orm";
import { ts, queryRows, type Db } from "@/lib/db/database";
import { env } from "@/lib/core/env";
import { AppError } from "@/lib/core/errors";
import { DAY_MS, HOUR_MS } from "@/lib/core/time";
import { zoneAdd, zoneTrunc } from "@/lib/core/zone-time";
import { daysBefore } from "./buckets";
import { loadCalendar } from "./calendar";
import { computeUpward } from "./compute";
import { addTargets, prepareTargets } from "./targets";
import { inRollupTransaction } from "./transaction";

export interface ZoneChange {
  timeZone: string;
  previousTimeZone: string;
  /** Where the new zone's day, week and month buckets begin; null: all of them. */
  timeZoneFrom: Date | null;
  /** Buckets written or deleted per level by the rebuild. */
  rebuilt: { day: number; week: number; month: number };
}

const later = (...ds: Array<Date | null>) =>
  new Date(Math.max(...ds.filter((d): d is Date => d !== null).map((d) => d.getTime())));

/** Where the client's held hours begin: after the last day with folded hours, and within hourly retention. */
async function hoursHeldFrom(tx: Db, clientId: number, now: Date, currentFrom: Date | null): Promise<Date> {
  const [row] = await queryRows<{ folded: Date | string | null }>(
    tx,
    sql`select max(bucket_start) as folded from rollup_archive where client_id = ${clientId} and granularity = 'day'`,
  );
  // A day lasts at most 25 hours, and a non-whole-hour zone's day ends on the next hour.
  const foldedEnd = row.folded === null ? null : new Date(new Date(row.folded).getTime() + DAY_MS + 2 * HOUR_MS);
  return later(daysBefore(now, env.RETENTION_HOURLY_DAYS), foldedEnd, currentFrom);
}

/** Whether the client keeps day, week or month figures that begin before `held` (or any archive at those levels). */
async function hasOlderBuckets(tx: Db, clientId: number, held: Date): Promise<boolean> {
  const [row] = await queryRows<{ any: boolean }>(
    tx,
    sql`select exists (select 1 from rollups where client_id = ${clientId} and granularity = 'day'
        and bucket_start < ${ts(held)})
      or exists (select 1 from rollup_archive where client_id = ${clientId} and granularity <> 'hour') as any`,
  );
  return Boolean(row.any);
}

/**
 * Sets the client's zone to `timeZone` (a valid IANA name; lib/core/time-zone.ts) and
 * rebuilds its day, week and month buckets from the boundary on, in one transaction.
 */
export async function changeClientTimeZone(
  db: Db,
  clientId: number,
  timeZone: string,
  opts: { now?: Date } = {},
): Promise<ZoneChange> {
  const now = opts.now ?? new Date();
  return inRollupTransaction(db, async (tx) => {
    const [client] = await queryRows<{ time_zone: string; time_zone_from: Date | string | null }>(
      tx,
      sql`select time_zone, time_zone_from from clients where id = ${clientId} for update`,
    );
    if (!client) throw new AppError("not_found", `Client ${clientId} not found`);
    const previousTimeZone = client.time_zone;
    const currentFrom = client.time_zone_from === null ? null : new Date(client.time_zone_from);
    const none = { day: 0, week: 0, month: 0 };
    if (timeZone === previousTimeZone) return { timeZone, previousTimeZone, timeZoneFrom: currentFrom, rebuilt: none };

    const held = await hoursHeldFrom(tx, clientId, now, currentFrom);
    let boundary: Date | null = null;
    // Old-zone buckets from the day holding the boundary on are recomputed (the last one
    // then ends at the boundary); those starting at or after it are replaced.
    let rebuildFrom: Date | null = null;
    // Old-zone weeks and months that reach into the rebuilt days: recomputed too, so the
    // last ones end at the boundary for every workflow, not only those with hours there.
    let straddleFrom: Date | null = null;
    if (await hasOlderBuckets(tx, clientId, held)) {
      // The first new-zone month start whose old-zone day begins where hours are held.
      const old = await loadCalendar(tx, clientId);
      boundary = zoneTrunc(held, "month", timeZone);
      while (old.label(boundary, "day") < held) boundary = zoneAdd(boundary, "month", 1, timeZone);
      rebuildFrom = old.label(boundary, "day");
      const [week, month] = [old.label(rebuildFrom, "week"), old.label(rebuildFrom, "month")];
      straddleFrom = week < month ? week : month;
    }

    // A boundary where the current zone began: that zone never held a bucket, so it needs no era.
    if (boundary && boundary.getTime() !== currentFrom?.getTime()) {
      await tx.execute(sql`insert into client_zone_eras (client_id, until, time_zone)
        values (${clientId}, ${ts(boundary)}, ${previousTimeZone})`);
    } else if (!boundary) {
      await tx.execute(sql`delete from client_zone_eras where client_id = ${clientId}`);
    }
    // A refresh draining the client's queue from a snapshot before this change would write
    // day, week and month rows in the old zone. Touching its keys makes that drain fail to
    // serialize and retry on the new zone (refresh.ts), as a re-enqueued key does.
    await tx.execute(sql`update rollup_dirty_hours set enqueued_at = now() where client_id = ${clientId}`);
    await tx.execute(sql`update clients set time_zone = ${timeZone}, time_zone_from = ${boundary ? ts(boundary) : null},
      updated_at = now() where id = ${clientId}`);

    const replaced = boundary ? sql` and bucket_start >= ${ts(boundary)}` : sql``;
    for (const table of ["rollups", "client_rollups"]) {
      await tx.execute(sql`delete from ${sql.raw(table)} where client_id = ${clientId}
        and granularity in ('day', 'week', 'month')${replaced}`);
    }
    await prepareTargets(tx);
    await addTargets(
      tx,
      "hour",
      sql`select client_id, workflow_id, bucket_start from rollups where client_id = ${clientId}
        and granularity = 'hour'${rebuildFrom ? sql` and bucket_start >= ${ts(rebuildFrom)}` : sql``}`,
    );
    if (boundary && straddleFrom) {
      for (const g of ["day", "week", "month"] as const) {
        await addTargets(
          tx,
          g,
          sql`select client_id, workflow_id, bucket_start from rollups where client_id = ${clientId}
            and granularity = ${g} and bucket_start >= ${ts(straddleFrom)} and bucket_start < ${ts(boundary)}`,
        );
      }
    }
    const counts = await computeUpward(tx, "day");
    return {
      timeZone,
      previousTimeZone,
      timeZoneFrom: boundary,
      rebuilt: { day: counts.day, week: counts.week, month: counts.month },
    };
  });
}
