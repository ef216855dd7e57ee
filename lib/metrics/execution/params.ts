import { z } from "zod";
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

/** Parsed query → the argument of the lib functions; throws RangeError (a 400) on a bad range. */
export function toExecutionQuery(params: ExecutionMetricsParams, now: Date = new Date()): ExecutionQuery {
  return { clientId: params.clientId, range: resolveRange(params, now), now, baseline: params.baseline };
}
