import { describe, expect, it } from "vitest";
import { rangeApiParams } from "@/lib/web/range";

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
