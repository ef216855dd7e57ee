/**
 * IANA time zones: what a client's zone may be. The zone arithmetic of buckets is
 * zone-time.ts (no zod there: the charts import it into the browser).
 */
import { z } from "zod";

let known: Set<string> | null = null;

/** Every zone name this runtime knows (Intl's canonical list, plus UTC). */
export function timeZoneNames(): string[] {
  known ??= new Set(["UTC", ...Intl.supportedValuesOf("timeZone")]);
  return [...known];
}

/**
 * The zone's name as listed ("europe/berlin" → "Europe/Berlin"), or as typed when Intl
 * knows it but does not list it (Node lists "Asia/Calcutta", not "Asia/Kolkata"); null
 * when `name` is not an IANA zone. Stored names go through here, so the same zone typed
 * in another case is not a change.
 */
export function canonicalTimeZone(name: string): string | null {
  const trimmed = name.trim();
  if (trimmed === "") return null;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: trimmed });
  } catch {
    return null;
  }
  const lower = trimmed.toLowerCase();
  return timeZoneNames().find((z) => z.toLowerCase() === lower) ?? trimmed;
}

/** Whether `name` is an IANA zone, e.g. "Europe/Berlin" or "UTC". */
export function isTimeZone(name: string): boolean {
  return canonicalTimeZone(name) !== null;
}

/** An IANA zone name; stored through `storableTimeZone` (lib/clients/time-zone.ts). */
export const TimeZone = z
  .string()
  .trim()
  .max(64, "must be at most 64 characters")
  .refine(isTimeZone, "must be an IANA time zone such as Europe/Berlin or UTC");
