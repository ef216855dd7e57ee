/**
 * The admin client routes' answers: lib/metrics' admin view of each client, and the
 * PATCH that changes the zone through
 * applyClientTimeZone (a rebuild of the client's day, week and month buckets) once the
 * other fields are saved. The routes and the admin pages both read clients through here,
 * so the first paint and the API answer the same shape.
 */
import type { Db } from "@/lib/db/database";
import { parseInput } from "@/lib/core/validation";
import { createClient, updateClient } from "@/lib/clients";
import { applyClientTimeZone, validTimeZone } from "@/lib/jobs/time-zone";
import type { ZoneChange } from "@/lib/ingest/rollups/zone-change";
import { getAdminClient, listAdminClients } from "@/lib/metrics/status/admin-clients";
import type { AdminClientView, UpdatedAdminClient, ZoneChangeView } from "./admin-client-view";
import { UpdateClientBody } from "./contracts/admin-schemas";

export const listAdminClientViews = listAdminClients;
export const getAdminClientView = getAdminClient;

/** Creates a client, in the zone given if any (a new client has no buckets to rebuild). */
export async function createAdminClientView(db: Db, input: unknown): Promise<AdminClientView> {
  const row = await createClient(db, input);
  return getAdminClientView(db, row.id);
}

export function zoneChangeView(change: ZoneChange): ZoneChangeView {
  return { ...change, timeZoneFrom: change.timeZoneFrom?.toISOString() ?? null };
}

/**
 * PATCH: the given fields change, then the zone if it differs from the client's. The
 * whole body is parsed first, so a bad zone (400 naming `timeZone`) writes nothing.
 */
export async function updateAdminClientView(db: Db, clientId: number, input: unknown): Promise<UpdatedAdminClient> {
  const { timeZone, ...fields } = parseInput(UpdateClientBody, input, "client");
  // Checked against the database too before anything is saved; compared as stored, so
  // the same zone typed in another case is no change.
  const zone = timeZone === undefined ? undefined : await validTimeZone(db, timeZone);
  const saved = await updateClient(db, clientId, fields);
  const change = zone !== undefined && zone !== saved.timeZone ? await applyClientTimeZone(db, clientId, zone) : null;
  return { ...(await getAdminClientView(db, clientId)), zoneChange: change && zoneChangeView(change) };
}
