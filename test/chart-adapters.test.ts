import { describe, expect, it } from "vitest";
import {
  lastBucketIncomplete,
  zeroFilled,
  bucketLabel,
  bucketSequence,
  floorBucket,
  MAX_FILLED_BUCKETS,
  nextBucket,
  pointsOf,
  toChartSeries,
} from "@/components/charts/adapters";

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

describe("buckets in the client's time zone", () => {
  const iso = (ms: number) => new Date(ms).toISOString();
  const floor = (t: string, step: Parameters<typeof floorBucket>[1], zone: string) =>
    iso(floorBucket(Date.parse(t), step, zone));

  it("starts Asia/Kolkata's days, weeks and months at its midnight (UTC+5:30)", () => {
    // 20:00 UTC on 2 Nov is 01:30 on 3 Nov in Kolkata.
    expect(floor("2026-11-02T20:00:00Z", "day", "Asia/Kolkata")).toBe("2026-11-02T18:30:00.000Z");
    // Thursday 5 Nov: its week starts on Monday 2 Nov, local midnight.
    expect(floor("2026-11-05T13:00:00Z", "week", "Asia/Kolkata")).toBe("2026-11-01T18:30:00.000Z");
    // 20:00 UTC on 28 Feb is already 1 March in Kolkata.
    expect(floor("2026-02-28T20:00:00Z", "month", "Asia/Kolkata")).toBe("2026-02-28T18:30:00.000Z");
    // Hours stay UTC hours.
    expect(floor("2026-11-02T20:45:00Z", "hour", "Asia/Kolkata")).toBe("2026-11-02T20:00:00.000Z");
  });

  it("lines the server's Kolkata day buckets up on local days, labelled with the local date", () => {
    const out = toChartSeries(
      [
        {
          key: "executions",
          label: "Executions",
          points: [
            { bucket: "2026-11-01T18:30:00.000Z", value: 5 },
            { bucket: "2026-11-03T18:30:00.000Z", value: 7 },
          ],
        },
      ],
      "day",
      { start: "2026-11-01T18:30:00.000Z", end: "2026-11-04T18:30:00.000Z" },
      "Asia/Kolkata",
    );
    expect(out.buckets).toEqual(["2026-11-01T18:30:00.000Z", "2026-11-02T18:30:00.000Z", "2026-11-03T18:30:00.000Z"]);
    expect(out.labels).toEqual(["Nov 2", "Nov 3", "Nov 4"]);
    expect(out.datasets[0].data).toEqual([5, null, 7]);
  });

  it("labels UTC hour buckets with Kolkata's wall clock", () => {
    const out = toChartSeries(
      [{ key: "x", label: "X", points: [{ bucket: "2026-11-02T00:00:00Z", value: 1 }] }],
      "hour",
      { start: "2026-11-02T00:00:00Z", end: "2026-11-02T02:00:00Z" },
      "Asia/Kolkata",
    );
    expect(out.buckets).toEqual(["2026-11-02T00:00:00.000Z", "2026-11-02T01:00:00.000Z"]);
    expect(out.labels).toEqual(["Nov 2, 05:30", "Nov 2, 06:30"]);
  });

  it("gives America/New_York a 23-hour day on 2026-03-08, when clocks spring forward", () => {
    const out = toChartSeries(
      [
        {
          key: "executions",
          label: "Executions",
          points: [
            { bucket: "2026-03-07T05:00:00.000Z", value: 3 },
            { bucket: "2026-03-09T04:00:00.000Z", value: 4 },
          ],
        },
      ],
      "day",
      { start: "2026-03-07T05:00:00.000Z", end: "2026-03-10T04:00:00.000Z" },
      "America/New_York",
    );
    // Midnight is 05:00 UTC in EST and 04:00 UTC in EDT.
    expect(out.buckets).toEqual(["2026-03-07T05:00:00.000Z", "2026-03-08T05:00:00.000Z", "2026-03-09T04:00:00.000Z"]);
    expect(out.labels).toEqual(["Mar 7", "Mar 8", "Mar 9"]);
    expect(out.datasets[0].data).toEqual([3, null, 4]);
    expect(iso(nextBucket(Date.parse("2026-03-08T05:00:00Z"), "day", "America/New_York"))).toBe(
      "2026-03-09T04:00:00.000Z",
    );
    // 23:30 EDT on 8 March is still 8 March.
    expect(floor("2026-03-09T03:30:00Z", "day", "America/New_York")).toBe("2026-03-08T05:00:00.000Z");
  });

  it("starts New York's weeks and months at local midnight on either side of the change", () => {
    // Sunday 8 March belongs to the week of Monday 2 March (EST); the next starts on 9 March (EDT).
    expect(floor("2026-03-08T12:00:00Z", "week", "America/New_York")).toBe("2026-03-02T05:00:00.000Z");
    expect(iso(nextBucket(Date.parse("2026-03-02T05:00:00Z"), "week", "America/New_York"))).toBe(
      "2026-03-09T04:00:00.000Z",
    );
    expect(floor("2026-03-15T12:00:00Z", "month", "America/New_York")).toBe("2026-03-01T05:00:00.000Z");
    expect(iso(nextBucket(Date.parse("2026-03-01T05:00:00Z"), "month", "America/New_York"))).toBe(
      "2026-04-01T04:00:00.000Z",
    );
  });

  it("keeps hour buckets an hour apart across the change, labelled with the skipped hour missing", () => {
    const sequence = bucketSequence(
      Date.parse("2026-03-08T05:00:00Z"),
      Date.parse("2026-03-08T09:00:00Z"),
      "hour",
      "America/New_York",
    );
    expect(sequence?.map(iso)).toEqual([
      "2026-03-08T05:00:00.000Z",
      "2026-03-08T06:00:00.000Z",
      "2026-03-08T07:00:00.000Z",
      "2026-03-08T08:00:00.000Z",
    ]);
    expect(sequence?.map((b) => bucketLabel(b, "hour", "America/New_York"))).toEqual([
      "Mar 8, 00:00",
      "Mar 8, 01:00",
      "Mar 8, 03:00",
      "Mar 8, 04:00",
    ]);
  });
});

describe("counts and the bucket still filling", () => {
  it("draws an empty bucket's count as 0, never a duration", () => {
    expect(zeroFilled([3, null, 0, 5])).toEqual([3, 0, 0, 5]);
  });

  it("knows the last bucket is incomplete when the range ends inside it", () => {
    const hours = ["2026-11-30T10:00:00.000Z", "2026-11-30T11:00:00.000Z"];
    expect(lastBucketIncomplete(hours, "hour", "2026-11-30T11:47:00Z")).toBe(true);
    expect(lastBucketIncomplete(hours, "hour", "2026-11-30T12:00:00Z")).toBe(false);
    // A Kolkata day ends at 18:30 UTC.
    expect(lastBucketIncomplete(["2026-11-29T18:30:00.000Z"], "day", "2026-11-30T18:30:00Z", "Asia/Kolkata")).toBe(
      false,
    );
    expect(lastBucketIncomplete(["2026-11-29T18:30:00.000Z"], "day", "2026-11-30T12:00:00Z", "Asia/Kolkata")).toBe(
      true,
    );
    expect(lastBucketIncomplete([], "day", "2026-11-30T12:00:00Z")).toBe(false);
  });
});
