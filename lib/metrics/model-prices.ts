/**
 * GET/POST /api/v1/admin/model-prices: per-model price overrides, in USD per million
 * tokens at the API and integer micro-dollars in the database (price-overrides.ts).
 */
import { z } from "zod";
import type { Db } from "@/lib/db/database";
import { usdToMicro } from "@/lib/ingest/llm/cost";
import { ModelPrice, ModelPricesResponse } from "./llm-usage-types";

export { ModelPrice, ModelPricesResponse };
import { createPriceOverride, loadPriceOverrides, type StoredPriceOverride } from "@/lib/ingest/llm/pricing";

const UsdPerMillion = z
  .number({
    error: (issue) =>
      issue.input === undefined ? "is required (USD per million tokens)" : "must be a number (USD per million tokens)",
  })
  .nonnegative("must not be negative")
  .max(1_000_000, "is too large");

export const ModelPriceBody = z.object({
  model: z.string({ error: "must be a string" }).trim().min(1, "must not be empty").max(200),
  /** Omitted or null: the price applies to the model under any provider. */
  provider: z.string({ error: "must be a string or null" }).trim().max(100).nullish(),
  inputPerMillionUsd: UsdPerMillion,
  outputPerMillionUsd: UsdPerMillion,
  /** From when the price holds (ISO 8601); calls before keep the earlier price. */
  effectiveFrom: z
    .string({ error: "is required (ISO 8601)" })
    .refine(
      (s) =>
        /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/.test(s) &&
        !Number.isNaN(Date.parse(s)),
      {
        message: "must be an ISO 8601 date or date-time with a zone, e.g. 2026-01-01T00:00:00Z",
      },
    ),
});
export type ModelPriceBody = z.infer<typeof ModelPriceBody>;

function toApi(o: StoredPriceOverride): ModelPrice {
  return {
    id: o.id,
    model: o.model,
    provider: o.provider,
    inputPerMillionUsd: o.inputPerMillionMicroUsd / 1_000_000,
    outputPerMillionUsd: o.outputPerMillionMicroUsd / 1_000_000,
    effectiveFrom: o.effectiveFrom.toISOString(),
  };
}

export async function listModelPrices(db: Db): Promise<ModelPricesResponse> {
  return { prices: (await loadPriceOverrides(db)).map(toApi) };
}

/**
 * Adds a price; 409 when the model already has one from the same instant. Stored costs
 * are not changed: a backfill with recomputeCosts re-prices past usage.
 */
export async function addModelPrice(db: Db, body: ModelPriceBody): Promise<ModelPrice> {
  const created = await createPriceOverride(db, {
    model: body.model,
    provider: body.provider ?? null,
    inputPerMillionMicroUsd: usdToMicro(body.inputPerMillionUsd),
    outputPerMillionMicroUsd: usdToMicro(body.outputPerMillionUsd),
    effectiveFrom: body.effectiveFrom,
  });
  return toApi(created);
}
