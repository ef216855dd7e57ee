/**
 * What the admin client routes answer, exactly as the browser receives it: lib/metrics'
 * admin view of a client, and a time zone change. Plain types with no server imports, so
 * the admin pages can import them too.
 */
import type { AdminClient } from "@/lib/metrics/status/types";

export type AdminClientView = AdminClient;

/** A time zone change as the PATCH answer reports it (lib/ingest/rollups/zone-change.ts). */
export interface ZoneChangeView {
  timeZone: string;
  previousTimeZone: string;
  /** Where the new zone's buckets begin (ISO); earlier ones keep the previous zone. Null: all of them. */
  timeZoneFrom: string | null;
  /** Buckets written or deleted per level by the rebuild. */
  rebuilt: { day: number; week: number; month: number };
}

/** The PATCH answer: the client as saved, and the zone change when the zone changed. */
export interface UpdatedAdminClient extends AdminClientView {
  zoneChange: ZoneChangeView | null;
}
