import { describe, expect, it } from "vitest";
import { formatDateTime, formatDay, formatMs } from "@/components/format/format";
import { describeClientZone, describeZoneChange } from "@/components/admin/zone-text";

describe("times in the client's zone", () => {
  it("formats a dashboard time in the zone, naming it", () => {
    expect(formatDateTime("2026-03-08T12:05:00Z")).toBe("Mar 8, 12:05 UTC");
    expect(formatDateTime("2026-03-08T12:05:00Z", "America/New_York")).toBe("Mar 8, 08:05 EDT");
    expect(formatDateTime("2026-03-08T06:05:00Z", "America/New_York")).toBe("Mar 8, 01:05 EST");
    expect(formatDateTime("2026-03-08T12:05:00Z", "Asia/Kolkata")).toBe("Mar 8, 17:35 GMT+5:30");
    expect(formatDateTime(null, "Asia/Kolkata")).toBe("—");
  });

  it("gives the local date of an instant", () => {
    expect(formatDay("2026-02-28T18:30:00Z", "Asia/Kolkata")).toBe("2026-03-01");
    expect(formatDay("2026-02-28T18:30:00Z")).toBe("2026-02-28");
  });

  it("says from when a new zone applies", () => {
    expect(
      describeZoneChange({
        timeZone: "Asia/Kolkata",
        previousTimeZone: "UTC",
        timeZoneFrom: "2026-02-28T18:30:00.000Z",
        rebuilt: { day: 40, week: 6, month: 2 },
      }),
    ).toBe("Day, week and month figures from 2026-03-01 on use Asia/Kolkata; earlier ones keep UTC.");
    expect(
      describeZoneChange({
        timeZone: "Asia/Kolkata",
        previousTimeZone: "UTC",
        timeZoneFrom: null,
        rebuilt: { day: 0, week: 0, month: 0 },
      }),
    ).toBe("All figures use Asia/Kolkata.");
    expect(describeClientZone({ timeZone: "UTC", timeZoneFrom: null })).toBe("All figures use UTC.");
  });
});

describe("durations", () => {
  it("read in the unit that fits, hours past an hour", () => {
    expect(formatMs(950)).toBe("950 ms");
    expect(formatMs(4_250)).toBe("4.3 s");
    expect(formatMs(90_000)).toBe("1.5 min");
    expect(formatMs(3_600_000)).toBe("1 h");
    expect(formatMs(95_400_000)).toBe("26.5 h");
    expect(formatMs(null)).toBe("—");
  });
});
