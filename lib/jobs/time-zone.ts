import type { Db } from "@/lib/db/database";
import { bumpDataVersions } from "@/lib/db/data-versions";
import { parseInput } from "@/lib/core/validation";
import { TimeZone } from "@/lib/core/time-zone";
import { storableTimeZone } from "@/lib/clients/time-zone";
import { changeClientTimeZone, type ZoneChange } from "@/lib/ingest/rollups/zone-change";

/** A zone as it is stored (lib/clients/time-zone.ts), or a 400 naming `timeZone`. */
export async function validTimeZone(db: Db, input: unknown): Promise<string> {
  return storableTimeZone(db, parseInput(TimeZone, input, "timeZone"));
}

/**
 * Changes the client's zone to `zone`, a name from `validTimeZone`, rebuilding its day,
 * week and month buckets in it (lib/ingest/rollups/zone-change.ts). Cached answers of the
 * client are dropped with its data version.
 */
export async function applyClientTimeZone(db: Db, clientId: number, zone: string): Promise<ZoneChange> {
  const change = await changeClientTimeZone(db, clientId, zone);
  await bumpDataVersions(db, [clientId]);
  return change;
}

/** Validates `timeZone` (a 400 names the field), then changes the client's zone to it. */
export async function setClientTimeZone(db: Db, clientId: number, timeZone: unknown): Promise<ZoneChange> {
  return applyClientTimeZone(db, clientId, await validTimeZone(db, timeZone));
}
