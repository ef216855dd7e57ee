import { z } from "zod";
import { MINUTE_MS } from "@/lib/core/time";
import { RangeParams, resolveRange } from "@/lib/metrics/range";
import { ClientIdParam } from "@/lib/metrics/params";
import { BASELINES, type ExecutionQuery } from "./types";

/**
 * Query string of every /api/v1/metrics/execution endpoint: the client, the range, and
 * the baseline that patterns use. Exported for the OpenAPI document.
 */
export const ExecutionMetricsParams = RangeParams.extend({
  clientId: ClientIdParam,
  baseline: z.enum(BASELINES, { message: `must be one of ${BASELINES.join(", ")}` }).default("trailing"),
});
export type ExecutionMetricsParams = z.infer<typeof ExecutionMetricsParams>;

/**
 * Parsed query → the argument of the lib functions; throws RangeError (a 400) on a bad
 * range. A relative range ends at the current minute, so requests within a minute share
 * one cached answer (index.ts), which names that range; `now` stays exact for realtime.
 */
export function toExecutionQuery(params: ExecutionMetricsParams, now: Date = new Date()): ExecutionQuery {
  const minute = new Date(Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS);
  return { clientId: params.clientId, range: resolveRange(params, minute), now, baseline: params.baseline };
}
