/**
 * Per-model prices an operator sets in the database, for models the catalog lacks or
 * prices differently (negotiated rates, self-hosted models).
 */
export interface PriceOverride {
  model: string;
  /** Null applies to the model under any provider. */
  provider: string | null;
  /** Micro-dollars per million tokens. */
  inputPerMillionMicroUsd: number;
  outputPerMillionMicroUsd: number;
  effectiveFrom: Date;
}

/**
 * The name overrides are matched by: lowercase, without a provider or path prefix, so
 * "openai/GPT-4o" and "models/gemini-1.5-pro" match overrides set as "gpt-4o" and
 * "gemini-1.5-pro".
 */
export function normaliseModelName(model: string): string {
  const name = model.trim().toLowerCase();
  return name.slice(name.lastIndexOf("/") + 1);
}

const sameProvider = (a: string, b: string | null) => b !== null && a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * The override in force for a call: same model, provider unset or equal, and the latest
 * effectiveFrom not after the call, so past costs keep the price of their time. On a tie
 * the provider-specific override wins over the generic one.
 */
export function selectOverride(
  call: { provider: string | null; model: string; at: Date },
  overrides: readonly PriceOverride[],
): PriceOverride | null {
  const model = normaliseModelName(call.model);
  const time = call.at.getTime();
  let best: PriceOverride | null = null;
  for (const o of overrides) {
    if (normaliseModelName(o.model) !== model) continue;
    if (o.provider !== null && !sameProvider(o.provider, call.provider)) continue;
    const from = o.effectiveFrom.getTime();
    if (from > time) continue;
    const bestFrom = best?.effectiveFrom.getTime() ?? -Infinity;
    if (from > bestFrom || (from === bestFrom && o.provider !== null && best?.provider === null)) best = o;
  }
  return best;
}

/** Rounded once, at the end, so many small calls do not each lose a fraction. */
export function overrideCost(o: PriceOverride, promptTokens: number, completionTokens: number): number {
  return Math.round(
    (promptTokens * o.inputPerMillionMicroUsd + completionTokens * o.outputPerMillionMicroUsd) / 1_000_000,
  );
}
