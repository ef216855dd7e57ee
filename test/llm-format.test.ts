import { describe, expect, it } from "vitest";
import { toLlmCostChart } from "@/components/charts/llm-cost";
import { formatUsd, usdFractionDigits } from "@/components/format/money";
import type { LlmCostPoint } from "@/lib/metrics/llm-usage-types";

describe("formatUsd", () => {
  it("shows $1 and more with 2 decimals and thousands separators", () => {
    expect(formatUsd(1)).toBe("$1.00");
    expect(formatUsd(12.5)).toBe("$12.50");
    expect(formatUsd(1234.5)).toBe("$1,234.50");
    expect(formatUsd(1_000_000)).toBe("$1,000,000.00");
  });

  it("keeps two significant digits under $1, never rounding a real cost to $0.00", () => {
    expect(formatUsd(0.5)).toBe("$0.50");
    expect(formatUsd(0.123456)).toBe("$0.12");
    expect(formatUsd(0.05)).toBe("$0.05");
    expect(formatUsd(0.075)).toBe("$0.075");
    expect(formatUsd(0.0042)).toBe("$0.0042");
    expect(formatUsd(0.00421)).toBe("$0.0042");
    expect(formatUsd(0.001)).toBe("$0.001");
    expect(formatUsd(0.000015)).toBe("$0.000015");
    expect(formatUsd(0.000001)).toBe("$0.000001");
  });

  it("rounds up across a decimal boundary cleanly", () => {
    expect(formatUsd(0.999)).toBe("$1.00");
    expect(formatUsd(0.00999)).toBe("$0.01");
  });

  it("says an amount under a micro-dollar is not zero", () => {
    expect(formatUsd(0.0000004)).toBe("<$0.000001");
  });

  it("shows a real zero as $0.00", () => {
    expect(formatUsd(0)).toBe("$0.00");
  });

  it("never shows null (unpriced or no data) as $0", () => {
    expect(formatUsd(null)).toBe("—");
    expect(formatUsd(undefined)).toBe("—");
    expect(formatUsd(null, "Unpriced")).toBe("Unpriced");
    expect(formatUsd(Number.NaN)).toBe("—");
  });

  it("keeps the sign of a negative amount (a refund or correction)", () => {
    expect(formatUsd(-0.0042)).toBe("-$0.0042");
    expect(formatUsd(-3)).toBe("-$3.00");
  });
});

describe("usdFractionDigits", () => {
  it("is 2 from $1 up and for zero, more the smaller the amount, at most 6", () => {
    expect(usdFractionDigits(5)).toBe(2);
    expect(usdFractionDigits(0)).toBe(2);
    expect(usdFractionDigits(0.5)).toBe(2);
    expect(usdFractionDigits(0.1)).toBe(2);
    expect(usdFractionDigits(0.01)).toBe(3);
    expect(usdFractionDigits(0.0042)).toBe(4);
    expect(usdFractionDigits(0.001)).toBe(4);
    expect(usdFractionDigits(0.0000001)).toBe(6);
  });
});

describe("toLlmCostChart", () => {
  const day = (d: number) => `2026-11-0${d}T00:00:00.000Z`;
  const point = (d: number, totalTokens: number, costUsd: number | null): LlmCostPoint => ({
    bucket: day(d),
    calls: totalTokens > 0 ? 1 : 0,
    totalTokens,
    costUsd,
  });

  it("keeps unpriced and empty buckets as gaps in cost, never $0", () => {
    const chart = toLlmCostChart(
      [point(1, 1200, 0.0042), point(2, 0, null), point(3, 800, null), point(4, 500, 0)],
      "day",
      { start: day(1), end: day(5) },
    );
    expect(chart.buckets).toEqual([day(1), day(2), day(3), day(4)]);
    expect(chart.labels).toEqual(["Nov 1", "Nov 2", "Nov 3", "Nov 4"]);
    expect(chart.cost).toEqual([0.0042, null, null, 0]);
    expect(chart.tokens).toEqual([1200, 0, 800, 500]);
    expect(chart.totalCost).toBeCloseTo(0.0042, 10);
    // Day 3 used tokens without a price; day 2 had no usage at all.
    expect(chart.unpricedBuckets).toBe(1);
  });

  it("fills buckets the API left out as gaps in both series", () => {
    const chart = toLlmCostChart([point(2, 100, 0.5)], "day", { start: day(1), end: day(4) });
    expect(chart.cost).toEqual([null, 0.5, null]);
    expect(chart.tokens).toEqual([null, 100, null]);
    expect(chart.totalCost).toBe(0.5);
  });

  it("has no total cost when nothing is priced", () => {
    const chart = toLlmCostChart([point(1, 300, null)], "day", { start: day(1), end: day(2) });
    expect(chart.totalCost).toBeNull();
    expect(chart.unpricedBuckets).toBe(1);
  });
});
