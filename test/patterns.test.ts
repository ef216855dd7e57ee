import { describe, expect, it } from "vitest";
import {
  baselineAt,
  effectiveMad,
  findBursts,
  findOutliers,
  median,
  robustBaseline,
  robustZ,
  type OutlierOptions,
} from "@/lib/metrics/execution/detect";
import { burstReason, failureRateReason, volumeReason } from "@/lib/metrics/execution/pattern-reasons";

const OPTS: OutlierOptions = {
  window: 24,
  minBaseline: 12,
  madFloor: 1,
  threshold: 3.5,
  minDeviation: 5,
  direction: "both",
};

/** Deterministic noise around `level`: level-2 .. level+2. */
const noisy = (n: number, level = 20) => Array.from({ length: n }, (_, i) => level + ((i * 7) % 5) - 2);

describe("robust statistics", () => {
  it("median and MAD", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    const b = robustBaseline([1, 2, 3, 4, 100]);
    expect(b).toMatchObject({ median: 3, mad: 1, n: 5 });
    expect(robustBaseline([])).toBeNull();
  });

  it("robust z = 0.6745·(x − median)/MAD", () => {
    const b = robustBaseline([10, 12, 14, 16, 18])!; // median 14, MAD 2
    expect(robustZ(24, b, 1)).toBeCloseTo((0.6745 * 10) / 2, 10);
    expect(robustZ(4, b, 1)).toBeCloseTo((-0.6745 * 10) / 2, 10);
  });

  it("MAD = 0 falls back to the mean absolute deviation, then to the floor", () => {
    const mostlyFlat = robustBaseline([5, 5, 5, 5, 9])!; // MAD 0, mean deviation 0.8
    expect(mostlyFlat.mad).toBe(0);
    expect(effectiveMad(mostlyFlat, 0.1)).toEqual({ mad: 0.8 * 1.2533 * 0.6745, source: "mean-deviation" });
    expect(robustZ(15, mostlyFlat, 0.1)).toBeCloseTo(10 / (0.8 * 1.2533), 3);
    // Never below the floor: the smallest spread that means something in the unit.
    expect(effectiveMad(mostlyFlat, 1)).toEqual({ mad: 1, source: "floor" });

    const constant = robustBaseline([5, 5, 5])!;
    expect(effectiveMad(constant, 2)).toEqual({ mad: 2, source: "floor" });
    expect(robustZ(5, constant, 2)).toBe(0);
    expect(Number.isFinite(robustZ(50, constant, 2))).toBe(true);
  });

  it("baselines skip unknown (null) points instead of counting zeros", () => {
    const values = [null, null, 10, 10, 10, 12];
    expect(baselineAt(values, 5, { window: 5, minBaseline: 3, madFloor: 1 })).toMatchObject({ median: 10, n: 3 });
    expect(baselineAt(values, 3, { window: 5, minBaseline: 3, madFloor: 1 })).toBeNull();
    // stride 24: the same hour on earlier days only.
    const hourly = Array.from({ length: 24 * 4 }, (_, i) => (i % 24 === 5 ? 100 : 1));
    expect(baselineAt(hourly, 24 * 3 + 5, { window: 3, stride: 24, minBaseline: 3, madFloor: 1 })).toMatchObject({
      median: 100,
      n: 3,
    });
  });
});

describe("findOutliers", () => {
  it("flags nothing on flat or gently noisy data", () => {
    expect(findOutliers(Array(100).fill(20), OPTS)).toEqual([]);
    expect(findOutliers(noisy(200), OPTS)).toEqual([]);
    expect(findOutliers(Array(100).fill(0), OPTS)).toEqual([]);
  });

  it("flags a planted spike and a drop, with their z", () => {
    const values: Array<number | null> = noisy(100);
    values[60] = 80;
    values[80] = 0;
    const found = findOutliers(values, OPTS);
    expect(found.map((o) => [o.index, o.direction])).toEqual([
      [60, "high"],
      [80, "low"],
    ]);
    const spike = found[0];
    expect(spike.baseline.median).toBe(20);
    expect(spike.z).toBeCloseTo((0.6745 * (80 - 20)) / spike.mad, 10);
    expect(spike.z).toBeGreaterThan(3.5);
  });

  it("direction high ignores drops; minDeviation ignores tiny moves on a constant baseline", () => {
    const values = [...Array(30).fill(20), 0, ...Array(5).fill(20), 23];
    expect(findOutliers(values, { ...OPTS, direction: "high" })).toEqual([]);
    expect(findOutliers(values, OPTS).map((o) => o.index)).toEqual([30]);
  });

  it("judges only [from, to) but uses earlier points as baseline", () => {
    const values = [...Array(30).fill(20), 90, 20, 20, 95];
    expect(findOutliers(values, { ...OPTS, from: 31 }).map((o) => o.index)).toEqual([33]);
  });

  it("needs minBaseline points before it judges", () => {
    const values = [20, 20, 20, 200];
    expect(findOutliers(values, OPTS)).toEqual([]);
  });
});

describe("findBursts", () => {
  const B = { window: 24, minBaseline: 12, madFloor: 1, k: 4, minExcess: 5 };

  it("merges consecutive burst points into one run", () => {
    const values = noisy(60);
    values[40] = 60;
    values[41] = 75;
    values[50] = 70;
    const runs = findBursts(values, B);
    expect(runs.map((r) => [r.startIndex, r.endIndex, r.total, r.peak])).toEqual([
      [40, 41, 135, 75],
      [50, 50, 70, 70],
    ]);
    // The run's baseline is the one before it started.
    expect(runs[0].baseline.median).toBe(20);
  });

  it("finds none on flat or noisy data", () => {
    expect(findBursts(Array(60).fill(20), B)).toEqual([]);
    expect(findBursts(noisy(120), B)).toEqual([]);
  });
});

describe("reasons", () => {
  it("say what was seen against which baseline", () => {
    const values = [
      ...Array(30)
        .fill(120)
        .map((v, i) => v + ((i % 3) - 1) * 15),
      312,
    ];
    const [o] = findOutliers(values, { ...OPTS, window: 168 });
    expect(volumeReason(o, "trailing", 168)).toBe(
      `312 executions vs. baseline 120 ± 15 over the previous 168 hours (robust z ${((0.6745 * 192) / 15).toFixed(1)})`,
    );
    expect(volumeReason(o, "hour-of-day", 7)).toContain("at this hour on the previous 7 days");

    const rates = [...Array(30).fill(0.05), 0.6];
    const [r] = findOutliers(rates, { ...OPTS, madFloor: 0.01, minDeviation: 0.1, direction: "high" });
    expect(failureRateReason(r, 12, 20, "trailing", 168)).toBe(
      "failure rate 60% (12 of 20 finished) vs. baseline 5% ± 1% over the previous 168 hours (robust z 37.1; baseline nearly constant, minimum spread used)",
    );

    const [run] = findBursts([...Array(30).fill(20), 80], {
      window: 24,
      minBaseline: 12,
      madFloor: 1,
      k: 4,
      minExcess: 5,
    });
    expect(burstReason(run, "hour", 4)).toBe(
      "80 executions in one hour vs. baseline 20 ± 1 per hour (burst above median + 4·MAD = 24)",
    );
  });
});
