import "server-only";
import { findClientLabel } from "@/lib/clients/queries";
import type { Db } from "@/lib/db/database";

/**
 * The time zone of each client among `ids`, so alert times show on the client's clock.
 * The alert list names its clients but not their zones; a page lists few clients, so
 * one small lookup each.
 */
export async function clientZones(db: Db, ids: readonly number[]): Promise<Record<number, string>> {
  const rows = await Promise.all([...new Set(ids)].map((id) => findClientLabel(db, id)));
  return Object.fromEntries(rows.flatMap((r) => (r ? [[r.id, r.timeZone] as const] : [])));
}
