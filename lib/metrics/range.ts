import { z } from "zod";
import type { Granularity } from "@/lib/core/vocabulary";
import { HOUR_MS, DAY_MS } from "@/lib/core/time";

export const TIMEFRAMES = ["1h", "6h", "24h", "7d", "30d", "90d"] as const;
export type Timeframe = (typeof TIMEFRAMES)[number];

/** `source=` names the rollup level; `auto` picks it from the range length. */
export const SOURCES = ["auto", "hourly", "daily", "weekly", "monthly"] as const;
export type Source = (typeof SOURCES)[number];

const SOURCE_GRANULARITY: Record<Exclude<Source, "auto">, Granularity> = {
  hourly: "hour",
  daily: "day",
  weekly: "week",
  monthly: "month",
};

export const TIMEFRAME_MS: Record<Timeframe, number> = {
  "1h": HOUR_MS,
  "6h": 6 * HOUR_MS,
  "24h": DAY_MS,
  "7d": 7 * DAY_MS,
  "30d": 30 * DAY_MS,
  "90d": 90 * DAY_MS,
};
/** The longest custom range: two years of monthly rollups. */
export const MAX_RANGE_MS = 731 * DAY_MS;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/;
/**
 * An ISO 8601 date or date-time in a query string. A zone is required:
 * "2026-11-01T10:00" would otherwise be read in the server's zone.
 */
export const IsoDate = z
  .string()
  .refine((s) => ISO_DATE.test(s) && !Number.isNaN(Date.parse(s)), {
    message: "must be an ISO 8601 date or date-time with a zone, e.g. 2026-11-01T00:00:00Z",
  })
  .transform((s) => new Date(s));

/** The range part of every metrics query string. */
export const RangeParams = z.object({
  timeframe: z.enum(TIMEFRAMES, { message: `must be one of ${TIMEFRAMES.join(", ")}` }).optional(),
  start: IsoDate.optional(),
  end: IsoDate.optional(),
  source: z.enum(SOURCES, { message: `must be one of ${SOURCES.join(", ")}` }).default("auto"),
});
export type RangeParams = z.infer<typeof RangeParams>;

export interface ResolvedRange {
  start: Date;
  end: Date;
  /** The rollup level that answers this range. */
  granularity: Granularity;
  /** The period of the same length just before, for comparisons. */
  previous: { start: Date; end: Date };
}

export class RangeError extends Error {
  constructor(
    readonly param: "timeframe" | "start" | "end",
    message: string,
  ) {
    super(`${param}: ${message}`);
  }
}

/** PRODUCT.md: ≤7 days hourly, ≤90 days daily, beyond monthly. */
export function autoGranularity(ms: number): Granularity {
  if (ms <= 7 * DAY_MS) return "hour";
  if (ms <= 90 * DAY_MS) return "day";
  return "month";
}

/**
 * Turns the query's timeframe or start/end into a concrete range. Without either, the
 * default is the last 24 hours. Throws RangeError (a 400) naming the bad parameter.
 */
export function resolveRange(params: RangeParams, now: Date = new Date(), fallback: Timeframe = "24h"): ResolvedRange {
  let start: Date;
  let end: Date;
  if (params.start || params.end) {
    if (params.timeframe) throw new RangeError("timeframe", "give either timeframe or start/end, not both");
    if (!params.start) throw new RangeError("start", "is required with end");
    end = params.end ?? now;
    start = params.start;
    if (end <= start) throw new RangeError("end", "must be after start");
    if (end.getTime() - start.getTime() > MAX_RANGE_MS)
      throw new RangeError("end", "the range may span at most 2 years");
  } else {
    end = now;
    start = new Date(now.getTime() - TIMEFRAME_MS[params.timeframe ?? fallback]);
  }
  const length = end.getTime() - start.getTime();
  return {
    start,
    end,
    granularity: params.source === "auto" ? autoGranularity(length) : SOURCE_GRANULARITY[params.source],
    previous: { start: new Date(start.getTime() - length), end: start },
  };
}
