/**
 * Query-string and path schemas of the metrics contracts, named `…Params` (a domain
 * function's input is a `…Query`, e.g. lib/metrics/series.ts's SeriesQuery). Every
 * message is written so that `describeIssue` ("<param>: <message>") reads as a sentence.
 */
import { z } from "zod";
import { GRANULARITIES } from "@/lib/core/vocabulary";
import { HISTORICAL_PERIODS } from "./types";
import { RangeParams } from "./range";

/** Range of every metrics endpoint (timeframe, or start/end; source overrides the rollup level): lib/metrics/range.ts. */
export { RangeParams };

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

/** Client-scoped range endpoints: overview, summary, live-summary, workflows, ... */
export const ClientRangeParams = RangeParams.extend({ clientId: ClientIdParam });
export type ClientRangeParams = z.infer<typeof ClientRangeParams>;

/** series and live-series. */
export const LiveSeriesParams = ClientRangeParams.extend({ granularity: GranularityParam.optional() });
export const SeriesParams = LiveSeriesParams.extend({
  workflowId: idParam("Only this workflow's runs (Flowscope's workflow id); default all of the client's.").optional(),
});
export type SeriesParams = z.infer<typeof SeriesParams>;

export const RecentActivityParams = z.object({ clientId: ClientIdParam, limit: LimitParam });

/** metrics/errors: the range, optionally one workflow, and how many groups. */
export const TopErrorsParams = ClientRangeParams.omit({ source: true }).extend({
  workflowId: idParam("Only this workflow's errors (Flowscope's workflow id).").optional(),
  limit: intParam({ min: 1, max: 50, default: 10, description: "Number of error groups." }),
});
export type TopErrorsParams = z.infer<typeof TopErrorsParams>;
export type RecentActivityParams = z.infer<typeof RecentActivityParams>;

/** clients/{id}/historical: the range (default: the period's usual window), period and workflow. */
export const HistoricalParams = RangeParams.omit({ source: true }).extend({
  period: z.enum(HISTORICAL_PERIODS, { message: `must be one of ${HISTORICAL_PERIODS.join(", ")}` }).default("daily"),
  workflowId: idParam("Only this workflow's rollups.").optional(),
});
export type HistoricalParams = z.infer<typeof HistoricalParams>;

export const HistoricalPathParams = z.object({ id: ClientIdParam });

/** Query string of endpoints that take nothing (openapi.json). */
export const NoParams = z.object({});

/** The range part of a parsed query, for the lib functions' `range`. */
export function rangeOf(query: Partial<RangeParams>): Partial<RangeParams> {
  return { timeframe: query.timeframe, start: query.start, end: query.end, source: query.source };
}
