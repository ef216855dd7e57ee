import { describe, expect, it } from "vitest";
import { instantOf, isTimeOfDay, rangeApiParams } from "@/lib/web/range";

describe("a dashboard range as API parameters", () => {
  it("turns whole days into the client's midnights, the last day included", () => {
    expect(rangeApiParams({ start: "2026-11-01", end: "2026-11-03" }, "Asia/Kolkata")).toEqual({
      start: "2026-10-31T18:30:00Z",
      end: "2026-11-03T18:30:00Z",
    });
  });

  it("passes instants through as the API reads them, and mixes them with days", () => {
    expect(rangeApiParams({ start: "2026-11-01T08:30:00Z", end: "2026-11-01T09:15:00+01:00" })).toEqual({
      start: "2026-11-01T08:30:00Z",
      end: "2026-11-01T09:15:00+01:00",
    });
    expect(rangeApiParams({ start: "2026-11-01T08:30:00Z", end: "2026-11-02" }, "UTC")).toEqual({
      start: "2026-11-01T08:30:00Z",
      end: "2026-11-03T00:00:00Z",
    });
    expect(rangeApiParams({ timeframe: "24h" })).toEqual({ timeframe: "24h" });
  });
});

describe("a custom range's optional times", () => {
  it("make a day and a time of the client's clock one instant, across a DST change", () => {
    expect(instantOf("2026-11-01", "08:30", "Asia/Kolkata")).toBe("2026-11-01T03:00:00Z");
    // New York leaves daylight time at 02:00 on 1 Nov 2026: 08:30 is then UTC-5.
    expect(instantOf("2026-11-01", "08:30", "America/New_York")).toBe("2026-11-01T13:30:00Z");
    expect(instantOf("2026-10-31", "08:30:15", "America/New_York")).toBe("2026-10-31T12:30:15Z");
  });

  it("accept only a time of day", () => {
    expect(["00:00", "23:59", "08:30:15"].every(isTimeOfDay)).toBe(true);
    expect(["24:00", "8:30", "08:60", "", "08:30Z"].some(isTimeOfDay)).toBe(false);
  });
});
