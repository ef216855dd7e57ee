import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/lib/db/database";
import { AppError } from "@/lib/core/errors";
import { canonicalTimeZone } from "@/lib/core/time-zone";

/**
 * The zone's name as the database spells it, or a 400. A client's buckets are computed in
 * the zone twice, by date-fns (Intl) and by PostgreSQL, so both must know it, and by the
 * same rules: PostgreSQL reads a bare name such as CET or EST as a fixed abbreviation,
 * without the summer time Intl applies, so only Area/Location names and UTC are taken.
 */
export async function storableTimeZone(db: Db, name: string): Promise<string> {
  const candidate = canonicalTimeZone(name);
  if (candidate && (candidate.includes("/") || candidate.toUpperCase() === "UTC")) {
    const [row] = await queryRows<{ name: string | null }>(
      db,
      sql`select (select n.name from pg_timezone_names n where lower(n.name) = lower(${candidate})
        order by n.name = ${candidate} desc limit 1) as name`,
    );
    if (row?.name && canonicalTimeZone(row.name)) return row.name;
  }
  throw new AppError("bad_request", "timeZone: must be an IANA time zone such as Europe/Berlin or UTC");
}
