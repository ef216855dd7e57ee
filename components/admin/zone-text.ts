/**
 * What a client's time zone means for its figures, in words: after a change (the PATCH
 * answer's zoneChange) and on the client's page (its timeZone and timeZoneFrom).
 */
import { formatDay } from "@/components/format/format";
import type { AdminClientView, ZoneChangeView } from "@/lib/api/admin-client-view";

/** e.g. "Day, week and month figures from 2026-03-01 on use Asia/Kolkata; earlier ones keep UTC." */
export function describeZoneChange(change: ZoneChangeView): string {
  if (!change.timeZoneFrom) return `All figures use ${change.timeZone}.`;
  // The boundary is a local midnight in the new zone: its date there is the one to name.
  const from = formatDay(change.timeZoneFrom, change.timeZone);
  return `Day, week and month figures from ${from} on use ${change.timeZone}; earlier ones keep ${change.previousTimeZone}.`;
}

/** The zone as it stands; the zones before timeZoneFrom are not part of the client's view. */
export function describeClientZone(client: Pick<AdminClientView, "timeZone" | "timeZoneFrom">): string {
  if (!client.timeZoneFrom) return `All figures use ${client.timeZone}.`;
  const from = formatDay(client.timeZoneFrom, client.timeZone);
  return `Day, week and month figures from ${from} on use ${client.timeZone}; earlier ones keep the zone they were made in.`;
}
