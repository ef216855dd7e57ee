import { describe, expect, it } from "vitest";
import { BucketCalendar } from "@/lib/ingest/rollups/calendar";
import { isTimeZone } from "@/lib/core/time-zone";
import { zoneAdd, zoneTrunc } from "@/lib/core/zone-time";

const at = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString();

describe("zone arithmetic", () => {
  it("truncates to local midnight, Monday and the 1st, as date_trunc(g, t, zone) does", () => {
    // 2026-11-30 20:00Z is 2026-12-01 01:30 in Kolkata (+05:30).
    expect(iso(zoneTrunc(at("2026-11-30T20:00:00Z"), "day", "Asia/Kolkata"))).toBe("2026-11-30T18:30:00.000Z");
    expect(iso(zoneTrunc(at("2026-11-30T20:00:00Z"), "month", "Asia/Kolkata"))).toBe("2026-11-30T18:30:00.000Z");
    expect(iso(zoneTrunc(at("2026-11-30T20:00:00Z"), "week", "Asia/Kolkata"))).toBe("2026-11-29T18:30:00.000Z");
    // New York: EST (-05:00) before 2026-03-08 07:00Z, EDT (-04:00) after.
    expect(iso(zoneTrunc(at("2026-03-08T12:00:00Z"), "day", "America/New_York"))).toBe("2026-03-08T05:00:00.000Z");
    expect(iso(zoneAdd(at("2026-03-08T05:00:00Z"), "day", 1, "America/New_York"))).toBe("2026-03-09T04:00:00.000Z");
    expect(iso(zoneAdd(at("2026-11-01T04:00:00Z"), "day", 1, "America/New_York"))).toBe("2026-11-02T05:00:00.000Z");
  });

  it("knows IANA names and refuses others", () => {
    expect(isTimeZone("Europe/Berlin")).toBe(true);
    expect(isTimeZone("UTC")).toBe(true);
    expect(isTimeZone("Mars/Olympus")).toBe(false);
    expect(isTimeZone("")).toBe(false);
  });
});

describe("BucketCalendar", () => {
  it("gives a DST day 23 or 25 hours and keeps hours UTC", () => {
    const ny = new BucketCalendar([{ timeZone: "America/New_York", starts: null, ends: null }]);
    const spring = ny.label(at("2026-03-08T12:34:00Z"), "day");
    expect(iso(spring)).toBe("2026-03-08T05:00:00.000Z");
    expect(ny.nextLabel(spring, "day").getTime() - spring.getTime()).toBe(23 * 3_600_000);
    const fall = ny.label(at("2026-11-01T12:00:00Z"), "day");
    expect(ny.nextLabel(fall, "day").getTime() - fall.getTime()).toBe(25 * 3_600_000);
    expect(iso(ny.label(at("2026-03-08T12:34:00Z"), "hour"))).toBe("2026-03-08T12:00:00.000Z");
  });

  it("puts an hour of a +05:30 zone in the day its start falls in, and starts the day on its first hour", () => {
    const kolkata = new BucketCalendar([{ timeZone: "Asia/Kolkata", starts: null, ends: null }]);
    // 18:00Z is 23:30 local: still the previous day; 19:00Z (00:30 local) is the next.
    expect(iso(kolkata.label(at("2026-06-01T18:45:00Z"), "day"))).toBe("2026-05-31T18:30:00.000Z");
    expect(iso(kolkata.label(at("2026-06-01T19:00:00Z"), "day"))).toBe("2026-06-01T18:30:00.000Z");
    expect(iso(kolkata.floor(at("2026-06-01T20:00:00Z"), "day"))).toBe("2026-06-01T19:00:00.000Z");
    expect(iso(kolkata.next(at("2026-06-01T19:00:00Z"), "day"))).toBe("2026-06-02T19:00:00.000Z");
  });

  it("ends the last bucket of an old zone where the new zone begins, at every level", () => {
    const boundary = at("2026-09-01T04:00:00Z"); // New York's September starts here.
    const cal = new BucketCalendar([
      { timeZone: "UTC", starts: null, ends: boundary },
      { timeZone: "America/New_York", starts: boundary, ends: null },
    ]);
    expect(iso(cal.label(at("2026-09-01T02:00:00Z"), "day"))).toBe("2026-09-01T00:00:00.000Z");
    expect(iso(cal.nextLabel(at("2026-09-01T00:00:00Z"), "day"))).toBe(iso(boundary));
    expect(iso(cal.label(at("2026-08-20T00:00:00Z"), "month"))).toBe("2026-08-01T00:00:00.000Z");
    // UTC's September would start before the boundary: its first four hours stay a bucket of their own.
    expect(iso(cal.nextLabel(at("2026-08-01T00:00:00Z"), "month"))).toBe("2026-09-01T00:00:00.000Z");
    expect(iso(cal.nextLabel(at("2026-09-01T00:00:00Z"), "month"))).toBe(iso(boundary));
    // The week holding the boundary is cut in two: the new zone's part starts at it.
    expect(iso(cal.label(at("2026-09-02T12:00:00Z"), "week"))).toBe(iso(boundary));
    expect(iso(cal.label(at("2026-09-01T03:00:00Z"), "week"))).toBe("2026-08-31T00:00:00.000Z");
    expect(iso(cal.label(at("2026-09-10T12:00:00Z"), "day"))).toBe("2026-09-10T04:00:00.000Z");
  });
});
