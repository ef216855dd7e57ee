/**
 * The admin price page's "prices in force": for every model in recent LLM usage, and
 * every model with an override, the input and output price that pricing would use now
 * and where it comes from. Built from the same functions that price each call
 * (lib/ingest/llm: overrides first, then the bundled genai-prices catalog).
 */
import { sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows, type Db } from "@/lib/db/database";
import { catalogPrice } from "@/lib/ingest/llm/catalog";
import { normaliseModelName, selectOverride } from "@/lib/ingest/llm/overrides";
import { loadPriceOverrides } from "@/lib/ingest/llm/pricing";

/** Models used within this many days are listed; older ones only if they have an override. */
export const PRICES_USAGE_DAYS = 90;

const UsdPerMillion = z.number().nullable().meta({ description: "USD per million tokens; null when unpriced." });

export const PriceInForce = z.object({
  model: z.string(),
  /** Null: any provider (an override for every provider, or usage that named none). */
  provider: z.string().nullable(),
  source: z.enum(["override", "catalog", "unpriced"]),
  inputPerMillionUsd: UsdPerMillion,
  outputPerMillionUsd: UsdPerMillion,
  /** The override's model, or the catalog's "provider:model" that prices it. */
  matchedModel: z.string().nullable(),
  /** When the override in force took effect; null for catalog prices. */
  effectiveFrom: z.string().meta({ format: "date-time" }).nullable(),
  /** The catalog's own price, shown beside an override it replaces; null without one. */
  catalog: z.object({ inputPerMillionUsd: z.number(), outputPerMillionUsd: z.number() }).nullable(),
  /** LLM calls stored in the last PRICES_USAGE_DAYS days. */
  recentCalls: z.number().int(),
});
export type PriceInForce = z.infer<typeof PriceInForce>;

export const PricesInForceResponse = z.object({
  checkedAt: z.string().meta({ format: "date-time" }),
  usageDays: z.number().int(),
  prices: z.array(PriceInForce),
});
export type PricesInForceResponse = z.infer<typeof PricesInForceResponse>;

/**
 * Sized below the catalog's long-context tiers (128k and more), so the base price is
 * read, and large enough that micro-dollar rounding keeps five decimals per million.
 */
const PROBE_TOKENS = 100_000;

function catalogPerMillion(model: string, provider: string | null, at: Date) {
  const probe = (promptTokens: number, completionTokens: number) =>
    catalogPrice({ model, provider, promptTokens, completionTokens, at });
  const input = probe(PROBE_TOKENS, 0);
  const output = probe(0, PROBE_TOKENS);
  if (!input || !output) return null;
  const perMillion = (micro: number) => (micro * (1_000_000 / PROBE_TOKENS)) / 1_000_000;
  return {
    inputPerMillionUsd: perMillion(input.costMicroUsd),
    outputPerMillionUsd: perMillion(output.costMicroUsd),
    matchedModel: input.matchedModel,
  };
}

export async function listPricesInForce(db: Db, now: Date = new Date()): Promise<PricesInForceResponse> {
  const since = new Date(now.getTime() - PRICES_USAGE_DAYS * 86_400_000);
  const [used, overrides] = await Promise.all([
    queryRows<{ provider: string | null; model: string; calls: number | string }>(
      db,
      sql`select provider, model, count(*)::bigint as calls from llm_usage
        where occurred_at >= ${since.toISOString()}::timestamptz group by provider, model`,
    ),
    loadPriceOverrides(db),
  ]);

  // One row per model and provider as pricing tells them apart (names case- and prefix-insensitive).
  const rows = new Map<string, { model: string; provider: string | null; calls: number }>();
  const keyOf = (model: string, provider: string | null) =>
    `${normaliseModelName(model)}\u0000${provider?.trim().toLowerCase() ?? ""}`;
  for (const u of used) {
    const key = keyOf(u.model, u.provider);
    const row = rows.get(key);
    if (row) row.calls += Number(u.calls);
    else rows.set(key, { model: u.model, provider: u.provider, calls: Number(u.calls) });
  }
  for (const o of overrides) {
    const key = keyOf(o.model, o.provider);
    if (!rows.has(key)) rows.set(key, { model: o.model, provider: o.provider, calls: 0 });
  }

  const prices = [...rows.values()].map(({ model, provider, calls }): PriceInForce => {
    const catalog = catalogPerMillion(model, provider, now);
    const override = selectOverride({ model, provider, at: now }, overrides);
    const catalogPair = catalog
      ? { inputPerMillionUsd: catalog.inputPerMillionUsd, outputPerMillionUsd: catalog.outputPerMillionUsd }
      : null;
    if (override) {
      return {
        model,
        provider,
        source: "override",
        inputPerMillionUsd: override.inputPerMillionMicroUsd / 1_000_000,
        outputPerMillionUsd: override.outputPerMillionMicroUsd / 1_000_000,
        matchedModel: override.model,
        effectiveFrom: override.effectiveFrom.toISOString(),
        catalog: catalogPair,
        recentCalls: calls,
      };
    }
    return {
      model,
      provider,
      source: catalog ? "catalog" : "unpriced",
      inputPerMillionUsd: catalog?.inputPerMillionUsd ?? null,
      outputPerMillionUsd: catalog?.outputPerMillionUsd ?? null,
      matchedModel: catalog?.matchedModel ?? null,
      effectiveFrom: null,
      catalog: catalogPair,
      recentCalls: calls,
    };
  });
  prices.sort((a, b) => b.recentCalls - a.recentCalls || a.model.localeCompare(b.model));
  return { checkedAt: now.toISOString(), usageDays: PRICES_USAGE_DAYS, prices };
}
