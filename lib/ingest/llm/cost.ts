import type { LlmCostSource } from "@/lib/core/vocabulary";
import { priceCall, type PriceableCall, type PriceOverride } from "./pricing";

export interface StoredCost {
  costMicroUsd: number | null;
  costSource: LlmCostSource;
}

/** The cost stored with a call: an explicit one given by the caller wins, else the price. */
export function costOf(
  call: PriceableCall,
  overrides: readonly PriceOverride[],
  explicitMicroUsd?: number | null,
): StoredCost {
  if (explicitMicroUsd !== undefined && explicitMicroUsd !== null) {
    return { costMicroUsd: explicitMicroUsd, costSource: "explicit" };
  }
  const price = priceCall(call, overrides);
  return { costMicroUsd: price.costMicroUsd, costSource: price.source };
}

/** Integer micro-dollars of a USD amount; exact for amounts given to the micro-dollar. */
export const usdToMicro = (usd: number) => Math.round(usd * 1_000_000);
