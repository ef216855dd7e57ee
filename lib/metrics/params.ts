/**
 * Query-string schemas shared by the metrics routes and the OpenAPI document. Every
 * message is written so that `describeIssue` ("<param>: <message>") reads as a sentence.
 */
import { z } from "zod";
import { GRANULARITIES } from "@/lib/core/vocabulary";
import { HISTORICAL_PERIODS } from "./types";
import { RangeParams } from "./range";

const positiveIntMessage = (issue: { input?: unknown }) =>
  issue.input === undefined ? "is required (a positive integer)" : "must be a positive integer";

/** A database id in a query string: digits only, 1..2^31-1 (the serial range). */
export function idParam(description: string) {
  return z
    .string({ error: positiveIntMessage })
    .regex(/^[1-9]\d{0,9}$/, { error: "must be a positive integer" })
    .transform(Number)
    .refine((n) => n <= 2_147_483_647, { error: "must be a positive integer" })
    .meta({ type: "integer", minimum: 1, description });
}

export const ClientIdParam = idParam("The client's id.");

export const GranularityParam = z
  .enum(GRANULARITIES, { message: `must be one of ${GRANULARITIES.join(", ")}` })
  .meta({ description: "Bucket size of the series; defaults to the source's, may not be finer." });

/**
 * A whole number in a query string, written in decimal: `Number()` would also read
 * "0x10", "1e2" and " 16 ", which no caller means.
 */
export function intParam(opts: { min: number; max: number; default: number; description: string }) {
  const error = `must be an integer from ${opts.min} to ${opts.max}`;
  const decimal = (v: unknown) => (typeof v === "string" && /^-?\d{1,10}$/.test(v) ? Number(v) : v);
  // The default sits inside the preprocess so that the API document shows it.
  const number = z
    .number({ error })
    .int({ error })
    .min(opts.min, { error })
    .max(opts.max, { error })
    .default(opts.default);
  return z.preprocess(decimal, number).meta({ description: opts.description });
}

export const LimitParam = intParam({ min: 1, max: 100, default: 10, description: "Number of rows." });

/** Range of every metrics endpoint: timeframe, or start/end; source overrides the rollup level. */
export const RangeQuery = RangeParams;

/** Client-scoped range endpoints: overview, summary, live-summary, workflows, ... */
export const ClientRangeQuery = RangeParams.extend({ clientId: ClientIdParam });
export type ClientRangeQuery = z.infer<typeof ClientRangeQuery>;

/** series and live-series. */
export const SeriesQuery = ClientRangeQuery.extend({ granularity: GranularityParam.optional() });
export type SeriesQuery = z.infer<typeof SeriesQuery>;

export const ClientQuery = z.object({ clientId: ClientIdParam });

export const RecentActivityQuery = z.object({ clientId: ClientIdParam, limit: LimitParam });
export type RecentActivityQuery = z.infer<typeof RecentActivityQuery>;

/** clients/{id}/historical: the range (default: the period's usual window), period and workflow. */
export const HistoricalQuery = RangeParams.omit({ source: true }).extend({
  period: z.enum(HISTORICAL_PERIODS, { message: `must be one of ${HISTORICAL_PERIODS.join(", ")}` }).default("daily"),
  workflowId: idParam("Only this workflow's rollups.").optional(),
});
export type HistoricalQuery = z.infer<typeof HistoricalQuery>;

export const HistoricalPathParams = z.object({ id: ClientIdParam });

/** Query string of endpoints that take nothing (openapi.json). */
export const EmptyQuery = z.object({});

/** The range part of a parsed query, for the lib functions' `range`. */
export function rangeOf(query: Partial<RangeParams>): Partial<RangeParams> {
  return { timeframe: query.timeframe, start: query.start, end: query.end, source: query.source };
}
