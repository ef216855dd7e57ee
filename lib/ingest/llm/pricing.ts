import { catalogPrice } from "./catalog";
import { overrideCost, selectOverride, type PriceOverride } from "./overrides";

export { normaliseModelName, type PriceOverride } from "./overrides";
export {
  createPriceOverride,
  loadPriceOverrides,
  PriceOverrideInput,
  type StoredPriceOverride,
} from "./price-overrides";

export interface PriceableCall {
  provider: string | null;
  model: string;
  promptTokens: number;
  completionTokens: number;
  at: Date;
}

export type PriceSource = "override" | "catalog" | "unpriced";

export interface CallPrice {
  /** Integer micro-dollars; null when the model has no price (never a made-up 0). */
  costMicroUsd: number | null;
  source: PriceSource;
  /** The override's model, or the catalog's "provider:model" that priced the call. */
  matchedModel?: string;
}

const UNPRICED: CallPrice = { costMicroUsd: null, source: "unpriced" };

const isCount = (n: number) => Number.isFinite(n) && n >= 0;

/** Cost of one call: an override from the database first, else the price catalog. */
export function priceCall(call: PriceableCall, overrides: readonly PriceOverride[]): CallPrice {
  if (!isCount(call.promptTokens) || !isCount(call.completionTokens) || Number.isNaN(call.at.getTime())) {
    return UNPRICED;
  }
  const override = selectOverride(call, overrides);
  if (override) {
    return {
      costMicroUsd: overrideCost(override, call.promptTokens, call.completionTokens),
      source: "override",
      matchedModel: override.model,
    };
  }
  const catalog = catalogPrice(call);
  if (catalog) return { costMicroUsd: catalog.costMicroUsd, source: "catalog", matchedModel: catalog.matchedModel };
  return UNPRICED;
}
