/**
 * POST /api/v1/system-metrics and /api/v1/system-metrics/batch: points other services
 * post. Each batch item is validated alone (SystemMetricInput); the valid ones are stored
 * in one transaction, all or none, and the invalid ones reported by index.
 */
import { z } from "zod";
import type { Db } from "@/lib/db/database";
import { AppError } from "@/lib/core/errors";
import { tryParseInput } from "@/lib/core/validation";
import { MAX_METRIC_BATCH, SystemMetricInput, fromInput, type SystemMetricView } from "./point";
import { getMetricPoint, insertMetricPoints } from "./store";

/** A point as JSON Schema (request side), for the API document of the batch body. */
function pointJsonSchema(): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(SystemMetricInput, {
    io: "input",
    unrepresentable: "any",
    target: "draft-2020-12",
  }) as Record<string, unknown>;
  return rest;
}

/** What the batch route parses: the items are validated one by one, so one bad item rejects only itself. */
export const SystemMetricBatchBody = z.object({
  metrics: z
    .array(z.unknown(), { error: "must be a list of metric points" })
    .min(1, "must hold at least one point")
    .max(MAX_METRIC_BATCH, `must hold at most ${MAX_METRIC_BATCH} points`)
    .meta({ items: pointJsonSchema() }),
});

export const SystemMetricBatchResult = z.object({
  accepted: z.number().int(),
  /** The stored points' ids, in the order of the accepted items. */
  ids: z.array(z.number().int()),
  rejected: z.number().int(),
  /** One per rejected item: its position in `metrics` and "<field>: <problem>". */
  errors: z.array(z.object({ index: z.number().int(), message: z.string() })),
});
export type SystemMetricBatchResult = z.infer<typeof SystemMetricBatchResult>;

/** POST /api/v1/system-metrics/batch. */
export async function ingestMetricBatch(db: Db, items: readonly unknown[]): Promise<SystemMetricBatchResult> {
  const valid: SystemMetricInput[] = [];
  const errors: Array<{ index: number; message: string }> = [];
  items.forEach((item, index) => {
    const parsed = tryParseInput(SystemMetricInput, item, "metric");
    if (parsed.ok) valid.push(parsed.data);
    else errors.push({ index, message: parsed.message });
  });
  const ids = await insertMetricPoints(db, valid.map(fromInput));
  return { accepted: ids.length, ids, rejected: errors.length, errors };
}

/** POST /api/v1/system-metrics: one point, answered as stored. */
export async function ingestMetric(db: Db, input: SystemMetricInput): Promise<{ data: SystemMetricView }> {
  const [id] = await insertMetricPoints(db, [fromInput(input)]);
  const stored = await getMetricPoint(db, id);
  if (!stored) throw new AppError("internal", `Point ${id} vanished after it was stored`);
  return { data: stored };
}

/** GET /api/v1/system-metrics/{id}. */
export async function readMetric(db: Db, id: number): Promise<{ data: SystemMetricView }> {
  const point = await getMetricPoint(db, id);
  if (!point) throw new AppError("not_found", `Metric point ${id} not found`);
  return { data: point };
}
