import { z } from "zod";
import type { Db } from "@/lib/db/database";
import { getClientOrThrow } from "@/lib/clients/queries";
import { getOverview } from "./overview";
import { idParam } from "./params";
import { RangeParams } from "./range";
import { NumberSchema, OverviewResponse } from "./types";
import type { RangeInput } from "./window";

/**
 * The range as elsewhere; `clientId` is optional because a client user (or client
 * token) has exactly one client. Operators must name one (scopedClientId says so).
 */
export const MyMetricsQuery = RangeParams.extend({
  clientId: idParam("The client's id; client users and client tokens may leave it out (their own).").optional(),
});
export type MyMetricsQuery = z.infer<typeof MyMetricsQuery>;

/** GET /api/v1/metrics/my-metrics */
export const MyMetricsResponse = z.object({
  client: z.object({
    id: NumberSchema,
    name: z.string(),
    slug: z.string(),
    timeZone: z.string().meta({ description: "IANA zone of the client's day, week and month buckets." }),
  }),
  overview: OverviewResponse,
});
export type MyMetricsResponse = z.infer<typeof MyMetricsResponse>;

/**
 * A client's own page in one answer: who the client is (the API caller may not know its
 * id or name) and the same overview as /metrics/overview. Scoping is the route's job.
 */
export async function getMyMetrics(
  db: Db,
  q: { clientId: number; range: RangeInput; now?: Date },
): Promise<MyMetricsResponse> {
  const { id, name, slug, timeZone } = await getClientOrThrow(db, q.clientId);
  const overview = await getOverview(db, q);
  return { client: { id, name, slug, timeZone }, overview };
}
