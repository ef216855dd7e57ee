import type { Db } from "@/lib/db/database";
import { bumpDataVersions } from "@/lib/db/data-versions";
import { parseInput } from "@/lib/core/validation";
import { TimeZone } from "@/lib/core/time-zone";
import { storableTimeZone } from "@/lib/clients/time-zone";
import { changeClientTimeZone, type ZoneChange } from "@/lib/ingest/rollups/zone-change";

/**
 * Sets a client's IANA time zone (validated: a 400 names the field) and rebuilds its day,
 * week and month buckets in it (lib/ingest/rollups/zone-change.ts). Cached answers of the
 * client are dropped with its data version.
 */
export async function setClientTimeZone(db: Db, clientId: number, timeZone: unknown): Promise<ZoneChange> {
  const zone = await storableTimeZone(db, parseInput(TimeZone, timeZone, "timeZone"));
  const change = await changeClientTimeZone(db, clientId, zone);
  await bumpDataVersions(db, [clientId]);
  return change;
}
