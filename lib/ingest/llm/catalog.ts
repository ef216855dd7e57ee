import { calcPrice, findProvider } from "@pydantic/genai-prices";

/**
 * Prices from the bundled @pydantic/genai-prices catalog. It matches dated versions
 * (`gpt-4o-2024-08-06` → `gpt-4o`) and `models/` prefixes by itself, but not an
 * `openai/` style prefix, and an unknown provider id makes it answer null even for a
 * model it knows; both are handled here.
 */

/** Run locally: the catalog's price for a same-named hosted model would be wrong. */
const SELF_HOSTED = new Set(["ollama"]);

export interface CatalogPrice {
  costMicroUsd: number;
  /** The catalog's provider and model id, e.g. "openai:gpt-4o". */
  matchedModel: string;
}

interface Attempt {
  model: string;
  providerId: string | null;
}

/** The catalog's id for a provider name, or null when it does not know the provider. */
function catalogProviderId(provider: string | null): string | null {
  if (!provider) return null;
  return findProvider({ providerId: provider.trim().toLowerCase() })?.id ?? null;
}

function attempts(model: string, provider: string | null): Attempt[] {
  const hint = catalogProviderId(provider);
  // A provider the catalog does not know says nothing; let the model name decide.
  const list: Attempt[] = [{ model, providerId: hint }];
  const slash = model.lastIndexOf("/");
  if (slash > 0) {
    // "openai/gpt-4o": the prefix names the provider (as with OpenRouter's ids).
    const bare = model.slice(slash + 1);
    const prefixProvider = catalogProviderId(model.slice(0, model.indexOf("/")));
    if (bare) list.push({ model: bare, providerId: prefixProvider ?? hint });
  }
  return list;
}

export function catalogPrice(call: {
  provider: string | null;
  model: string;
  promptTokens: number;
  completionTokens: number;
  at: Date;
}): CatalogPrice | null {
  const model = call.model.trim();
  if (!model || (call.provider && SELF_HOSTED.has(call.provider.trim().toLowerCase()))) return null;
  const usage = { input_tokens: call.promptTokens, output_tokens: call.completionTokens };
  for (const { model: name, providerId } of attempts(model, call.provider)) {
    let result: ReturnType<typeof calcPrice>;
    try {
      // `timestamp` selects the price that held at the call's time (and time-of-day rates).
      result = calcPrice(usage, name, providerId ? { providerId, timestamp: call.at } : { timestamp: call.at });
    } catch {
      // The catalog throws on inconsistent price data; treat as not priced.
      continue;
    }
    if (result) {
      return {
        costMicroUsd: Math.round(result.total_price * 1_000_000),
        matchedModel: `${result.provider.id}:${result.model.id}`,
      };
    }
  }
  return null;
}
