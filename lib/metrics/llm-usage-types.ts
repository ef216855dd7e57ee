/**
 * The response of GET /api/v1/metrics/llm-usage. Zod schemas with a type of the same
 * name; no server imports, so the dashboard's browser code may import them.
 * Money is USD (number, full precision; the UI rounds); a null cost means unpriced
 * (an unknown model), never $0.
 */
import { z } from "zod";
import { GranularitySchema, IsoDateTime, NullableNumber, NumberSchema } from "@/lib/metrics/schema-common";

const TokenFigures = {
  calls: NumberSchema,
  promptTokens: NumberSchema,
  completionTokens: NumberSchema,
  totalTokens: NumberSchema,
  /** Sum of priced calls' cost; null when no call in the group is priced. */
  costUsd: NullableNumber,
  /** Calls without a price (unknown model, no override): their cost is not in costUsd. */
  unpricedCalls: NumberSchema,
};

export const LlmUsageTotals = z.object({
  ...TokenFigures,
  /** Percent of total tokens whose counts n8n estimated (tokenUsageEstimate); null without tokens. */
  estimatedTokenShare: NullableNumber,
});
export type LlmUsageTotals = z.infer<typeof LlmUsageTotals>;

/** Sorted by totalTokens descending. */
export const LlmUsageByWorkflow = z.object({
  /** Null for ingested usage that names no known workflow. */
  workflowId: NumberSchema.nullable(),
  workflowName: z.string().nullable(),
  ...TokenFigures,
});
export type LlmUsageByWorkflow = z.infer<typeof LlmUsageByWorkflow>;

/** Sorted by totalTokens descending. */
export const LlmUsageByModel = z.object({
  provider: z.string().nullable(),
  model: z.string(),
  ...TokenFigures,
  /** False when no price is known for this model: show it flagged as "unpriced". */
  priced: z.boolean(),
});
export type LlmUsageByModel = z.infer<typeof LlmUsageByModel>;

/** Every bucket of the range; a bucket without usage has zeros and costUsd null. */
export const LlmCostPoint = z.object({
  bucket: IsoDateTime,
  calls: NumberSchema,
  totalTokens: NumberSchema,
  costUsd: NullableNumber,
});
export type LlmCostPoint = z.infer<typeof LlmCostPoint>;

export const LlmUsageResponse = z.object({
  clientId: NumberSchema,
  start: IsoDateTime,
  end: IsoDateTime,
  granularity: GranularitySchema,
  totals: LlmUsageTotals,
  byWorkflow: z.array(LlmUsageByWorkflow),
  byModel: z.array(LlmUsageByModel),
  costOverTime: z.array(LlmCostPoint),
});
export type LlmUsageResponse = z.infer<typeof LlmUsageResponse>;

/** A model price override, as GET/POST /api/v1/admin/model-prices answer it (USD per million tokens). */
export const ModelPrice = z.object({
  id: z.number(),
  model: z.string(),
  provider: z.string().nullable(),
  inputPerMillionUsd: z.number(),
  outputPerMillionUsd: z.number(),
  effectiveFrom: z.iso.datetime({ offset: true }),
});
export type ModelPrice = z.infer<typeof ModelPrice>;

export const ModelPricesResponse = z.object({ prices: z.array(ModelPrice) });
export type ModelPricesResponse = z.infer<typeof ModelPricesResponse>;
