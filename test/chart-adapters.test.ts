import { describe, expect, it } from "vitest";
import { bucketSequence, floorBucket, MAX_FILLED_BUCKETS, pointsOf, toChartSeries } from "@/components/charts/adapters";

const h = (hour: number) => `2026-11-02T${String(hour).padStart(2, "0")}:00:00.000Z`;

describe("toChartSeries", () => {
  it("turns a missing bucket into a null gap, not a zero", () => {
    const out = toChartSeries(
      [
        {
          key: "executions",
          label: "Executions",
          points: [
            { bucket: h(0), value: 4 },
            { bucket: h(2), value: 0 },
          ],
        },
      ],
      "hour",
    );
    expect(out.buckets).toEqual([h(0), h(1), h(2)]);
    // Hour 1 is missing (a gap); hour 2 is a real zero and stays one.
    expect(out.datasets[0].data).toEqual([4, null, 0]);
  });

  it("keeps null values null and fills the requested range at both ends", () => {
    const out = toChartSeries(
      [
        {
          key: "rate",
          label: "Success rate",
          points: [
            { bucket: h(1), value: null },
            { bucket: h(2), value: 97.5 },
          ],
        },
      ],
      "hour",
      { start: h(0), end: h(4) },
    );
    expect(out.datasets[0].data).toEqual([null, null, 97.5, null]);
    expect(out.labels).toHaveLength(4);
  });

  it("aligns several series on one axis, whatever order the points came in", () => {
    const out = toChartSeries(
      [
        {
          key: "a",
          label: "A",
          points: [
            { bucket: h(3), value: 3 },
            { bucket: h(1), value: 1 },
          ],
        },
        { key: "b", label: "B", points: [{ bucket: h(2), value: 2 }] },
      ],
      "hour",
    );
    expect(out.datasets.map((d) => d.data)).toEqual([
      [1, null, 3],
      [null, 2, null],
    ]);
  });

  it("buckets days and months in UTC", () => {
    const out = toChartSeries(
      [
        {
          key: "m",
          label: "M",
          points: [
            { bucket: "2026-01-01T00:00:00Z", value: 1 },
            { bucket: "2026-03-01T00:00:00Z", value: 3 },
          ],
        },
      ],
      "month",
    );
    expect(out.labels).toEqual(["Jan 2026", "Feb 2026", "Mar 2026"]);
    expect(out.datasets[0].data).toEqual([1, null, 3]);
  });

  it("draws the points as given when the range holds too many buckets to fill", () => {
    const out = toChartSeries(
      [{ key: "x", label: "X", points: [{ bucket: "2026-01-01T00:00:00Z", value: 1 }] }],
      "minute",
      { start: "2026-01-01T00:00:00Z", end: "2026-03-01T00:00:00Z" },
    );
    expect(out.datasets[0].data).toEqual([1]);
  });
});

describe("buckets", () => {
  it("starts weeks on Monday, as date_trunc('week') does", () => {
    // 2026-11-05 is a Thursday; its week starts on Monday 2026-11-02.
    expect(new Date(floorBucket(Date.parse("2026-11-05T13:00:00Z"), "week")).toISOString()).toBe(
      "2026-11-02T00:00:00.000Z",
    );
  });

  it("refuses to build an axis longer than the cap", () => {
    expect(bucketSequence(0, (MAX_FILLED_BUCKETS + 1) * 60_000, "minute")).toBeNull();
  });

  it("pointsOf keeps nulls and drops non-numbers to null", () => {
    const rows = [
      { bucket: h(0), executions: 5 },
      { bucket: h(1), executions: null },
    ];
    expect(pointsOf(rows, "executions")).toEqual([
      { bucket: h(0), value: 5 },
      { bucket: h(1), value: null },
    ]);
  });
});
