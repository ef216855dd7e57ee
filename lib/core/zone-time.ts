/**
 * The zone arithmetic of buckets (local midnight, weeks from Monday, months) through
 * date-fns's zone-aware context, and whole UTC hours. Shared by the server's calendar
 * (lib/ingest/rollups/calendar.ts) and the charts in the browser.
 */
import { tz } from "@date-fns/tz";
import { addDays, addMonths, addWeeks, startOfDay, startOfMonth, startOfWeek } from "date-fns";
import type { Granularity } from "./vocabulary";
import { HOUR_MS } from "./time";

export const DEFAULT_TIME_ZONE = "UTC";

export const floorHour = (t: Date) => new Date(t.getTime() - (((t.getTime() % HOUR_MS) + HOUR_MS) % HOUR_MS));
export const ceilHour = (t: Date) => {
  const f = floorHour(t);
  return f.getTime() === t.getTime() ? f : new Date(f.getTime() + HOUR_MS);
};

/**
 * The start, in `zone`, of the day, week (Monday) or month holding `t`: Postgres's
 * `date_trunc(granularity, t, zone)`. Hours are UTC hours.
 */
export function zoneTrunc(t: Date, granularity: Granularity, zone: string): Date {
  if (granularity === "hour") return floorHour(t);
  const inZone = { in: tz(zone) };
  switch (granularity) {
    case "day":
      return new Date(startOfDay(t, inZone).getTime());
    case "week":
      return new Date(startOfWeek(t, { ...inZone, weekStartsOn: 1 }).getTime());
    case "month":
      return new Date(startOfMonth(t, inZone).getTime());
  }
}

/** `start` plus `n` days, weeks or months on `zone`'s wall clock (hours: plain hours). */
export function zoneAdd(start: Date, granularity: Granularity, n: number, zone: string): Date {
  if (granularity === "hour") return new Date(start.getTime() + n * HOUR_MS);
  const inZone = { in: tz(zone) };
  switch (granularity) {
    case "day":
      return new Date(addDays(start, n, inZone).getTime());
    case "week":
      return new Date(addWeeks(start, n, inZone).getTime());
    case "month":
      return new Date(addMonths(start, n, inZone).getTime());
  }
}
