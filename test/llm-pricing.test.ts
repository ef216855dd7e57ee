import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { calcPrice } from "@pydantic/genai-prices";
import type { DatabaseHandle } from "@/lib/db/database";
import { AppError } from "@/lib/core/errors";
import {
  createPriceOverride,
  loadPriceOverrides,
  normaliseModelName,
  priceCall,
  type PriceOverride,
} from "@/lib/ingest/llm/pricing";
import { createTestDatabase } from "./helpers/db";

const at = (iso: string) => new Date(iso);

const override = (o: Partial<PriceOverride> & Pick<PriceOverride, "model">): PriceOverride => ({
  provider: null,
  inputPerMillionMicroUsd: 1_000_000,
  outputPerMillionMicroUsd: 2_000_000,
  effectiveFrom: at("2025-01-01T00:00:00Z"),
  ...o,
});

/**
 * The catalog's own per-million prices for a model, so the expectations follow the
 * package's data rather than numbers copied from a price page.
 */
function catalogCost(model: string, providerId: string, promptTokens: number, completionTokens: number): number {
  const result = calcPrice({ input_tokens: 1, output_tokens: 1 }, model, { providerId });
  if (!result) throw new Error(`catalog has no ${providerId}:${model}`);
  const { input_mtok, output_mtok } = result.model_price;
  if (typeof input_mtok !== "number" || typeof output_mtok !== "number") throw new Error("tiered price");
  // Dollars per million tokens × tokens = micro-dollars.
  return Math.round(promptTokens * input_mtok + completionTokens * output_mtok);
}

describe("priceCall with overrides", () => {
  const gpt4o = override({ model: "gpt-4o", inputPerMillionMicroUsd: 2_500_000, outputPerMillionMicroUsd: 10_000_000 });

  it("costs prompt × input price + completion × output price in micro-dollars", () => {
    const call = {
      provider: "openai",
      model: "gpt-4o",
      promptTokens: 1234,
      completionTokens: 567,
      at: at("2025-06-01T00:00:00Z"),
    };
    // 1234 × 2.5 + 567 × 10 = 3085 + 5670
    expect(priceCall(call, [gpt4o])).toEqual({ costMicroUsd: 8755, source: "override", matchedModel: "gpt-4o" });
  });

  it("rounds once, at the end", () => {
    const cheap = override({ model: "tiny", inputPerMillionMicroUsd: 300_000, outputPerMillionMicroUsd: 300_000 });
    const call = {
      provider: null,
      model: "tiny",
      promptTokens: 1,
      completionTokens: 1,
      at: at("2025-06-01T00:00:00Z"),
    };
    // 0.3 + 0.3 = 0.6 → 1; rounding each part first would give 0.
    expect(priceCall(call, [cheap]).costMicroUsd).toBe(1);
  });

  it("applies dated overrides by the call's time, and the catalog before the first", () => {
    const first = override({
      model: "gpt-4o-mini",
      inputPerMillionMicroUsd: 100_000,
      outputPerMillionMicroUsd: 400_000,
      effectiveFrom: at("2025-01-01T00:00:00Z"),
    });
    const second = override({
      model: "gpt-4o-mini",
      inputPerMillionMicroUsd: 200_000,
      outputPerMillionMicroUsd: 800_000,
      effectiveFrom: at("2025-03-01T00:00:00Z"),
    });
    const overrides = [second, first];
    const price = (iso: string) =>
      priceCall(
        { provider: "openai", model: "gpt-4o-mini", promptTokens: 10_000, completionTokens: 5_000, at: at(iso) },
        overrides,
      );

    expect(price("2024-12-31T23:59:59Z")).toEqual({
      costMicroUsd: catalogCost("gpt-4o-mini", "openai", 10_000, 5_000),
      source: "catalog",
      matchedModel: "openai:gpt-4o-mini",
    });
    expect(price("2025-02-15T00:00:00Z")).toMatchObject({ costMicroUsd: 1000 + 2000, source: "override" });
    expect(price("2025-03-01T00:00:00Z")).toMatchObject({ costMicroUsd: 2000 + 4000, source: "override" });
    expect(price("2026-01-01T00:00:00Z")).toMatchObject({ costMicroUsd: 2000 + 4000, source: "override" });
  });

  it("matches model names without case or provider prefix", () => {
    expect(normaliseModelName(" OpenAI/GPT-4o ")).toBe("gpt-4o");
    expect(normaliseModelName("models/gemini-1.5-pro")).toBe("gemini-1.5-pro");
    const call = {
      provider: "openai",
      model: "openai/GPT-4o",
      promptTokens: 1_000_000,
      completionTokens: 0,
      at: at("2025-06-01T00:00:00Z"),
    };
    expect(priceCall(call, [gpt4o])).toMatchObject({ costMicroUsd: 2_500_000, source: "override" });
    const gemini = override({ model: "models/gemini-1.5-pro", effectiveFrom: at("2020-01-01T00:00:00Z") });
    expect(priceCall({ ...call, provider: "google", model: "gemini-1.5-pro" }, [gemini])).toMatchObject({
      source: "override",
    });
  });

  it("applies a provider-specific override only to that provider, and prefers it on a tie", () => {
    const azure = override({
      model: "gpt-4o",
      provider: "azure",
      inputPerMillionMicroUsd: 5_000_000,
      outputPerMillionMicroUsd: 0,
    });
    const call = {
      provider: "openai",
      model: "gpt-4o",
      promptTokens: 1_000_000,
      completionTokens: 0,
      at: at("2025-06-01T00:00:00Z"),
    };
    expect(priceCall(call, [azure]).source).toBe("catalog");
    expect(priceCall({ ...call, provider: "Azure" }, [azure])).toMatchObject({
      costMicroUsd: 5_000_000,
      source: "override",
    });
    expect(priceCall({ ...call, provider: null }, [azure]).source).toBe("catalog");
    const generic = { ...azure, provider: null, inputPerMillionMicroUsd: 1 };
    expect(priceCall({ ...call, provider: "azure" }, [generic, azure]).costMicroUsd).toBe(5_000_000);
    expect(priceCall({ ...call, provider: "azure" }, [azure, generic]).costMicroUsd).toBe(5_000_000);
  });

  it("prices a self-hosted model only by override", () => {
    const call = {
      provider: "ollama",
      model: "llama3.2:3b",
      promptTokens: 180,
      completionTokens: 2,
      at: at("2025-06-01T00:00:00Z"),
    };
    expect(priceCall(call, [])).toEqual({ costMicroUsd: null, source: "unpriced" });
    const local = override({
      model: "llama3.2:3b",
      provider: "ollama",
      inputPerMillionMicroUsd: 50_000,
      outputPerMillionMicroUsd: 50_000,
    });
    expect(priceCall(call, [local])).toMatchObject({ costMicroUsd: 9, source: "override" });
  });
});

describe("priceCall from the catalog", () => {
  const when = at("2025-06-01T00:00:00Z");

  it.each([
    // [provider, model as n8n reports it, catalog provider, catalog model]
    ["openai", "gpt-4o-mini", "openai", "gpt-4o-mini"],
    [null, "gpt-4o-mini", "openai", "gpt-4o-mini"],
    [null, "openai/gpt-4o-2024-08-06", "openai", "gpt-4o"],
    ["openai", "openai/gpt-4o-2024-08-06", "openai", "gpt-4o"],
    ["openai", "gpt-4o-2024-08-06", "openai", "gpt-4o"],
    ["anthropic", "claude-3-5-sonnet-20241022", "anthropic", "claude-3-5-sonnet"],
    [null, "claude-3-5-sonnet-20241022", "anthropic", "claude-3-5-sonnet"],
    ["google", "models/gemini-2.0-flash", "google", "gemini-2.0-flash"],
    ["mistral", "mistral-large-latest", "mistral", "mistral-large"],
    ["groq", "llama-3.3-70b-versatile", "groq", "llama-3.3-70b-versatile"],
    ["azure", "gpt-4o", "azure", "gpt-4o"],
    ["openrouter", "anthropic/claude-3.5-sonnet", "openrouter", "anthropic/claude-3.5-sonnet"],
    ["my-openai-proxy", "gpt-4o-mini", "openai", "gpt-4o-mini"],
  ] as const)("%s / %s → %s:%s", (provider, model, catalogProvider, catalogModel) => {
    const call = { provider, model, promptTokens: 1234, completionTokens: 567, at: when };
    expect(priceCall(call, [])).toEqual({
      costMicroUsd: catalogCost(catalogModel, catalogProvider, 1234, 567),
      source: "catalog",
      matchedModel: `${catalogProvider}:${catalogModel}`,
    });
  });

  it("finds Bedrock models under the catalog's AWS provider", () => {
    const call = {
      provider: "bedrock",
      model: "anthropic.claude-3-5-sonnet-20240620-v1:0",
      promptTokens: 1000,
      completionTokens: 100,
      at: when,
    };
    const priced = priceCall(call, []);
    expect(priced.source).toBe("catalog");
    expect(priced.matchedModel).toMatch(/^aws:/);
    expect(priced.costMicroUsd).toBeGreaterThan(0);
  });

  it("is a real zero for zero tokens of a known model", () => {
    expect(
      priceCall({ provider: "openai", model: "gpt-4o", promptTokens: 0, completionTokens: 0, at: when }, []),
    ).toMatchObject({
      costMicroUsd: 0,
      source: "catalog",
    });
  });

  it.each([
    ["openai", "totally-made-up-model"],
    [null, "totally-made-up-model"],
    ["openai", "unknown"],
    ["openai", ""],
    ["anthropic", "gpt-4o-mini"],
  ])("%s / %j → unpriced, never 0", (provider, model) => {
    expect(priceCall({ provider, model, promptTokens: 100, completionTokens: 10, at: when }, [])).toEqual({
      costMicroUsd: null,
      source: "unpriced",
    });
  });

  it("does not price invalid token counts", () => {
    const call = { provider: "openai", model: "gpt-4o", at: when };
    expect(priceCall({ ...call, promptTokens: -1, completionTokens: 0 }, []).source).toBe("unpriced");
    expect(priceCall({ ...call, promptTokens: Number.NaN, completionTokens: 0 }, []).source).toBe("unpriced");
  });
});

describe("price overrides in the database", () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createTestDatabase();
  });
  afterAll(() => handle.close());

  const valid = {
    model: "gpt-4o",
    provider: "OpenAI",
    inputPerMillionMicroUsd: 2_000_000,
    outputPerMillionMicroUsd: 8_000_000,
    effectiveFrom: "2025-02-01T00:00:00Z",
  };

  it("stores an override and loads it back for pricing", async () => {
    const created = await createPriceOverride(handle.db, valid);
    expect(created).toEqual({
      id: expect.any(Number),
      model: "gpt-4o",
      provider: "openai",
      inputPerMillionMicroUsd: 2_000_000,
      outputPerMillionMicroUsd: 8_000_000,
      effectiveFrom: at("2025-02-01T00:00:00Z"),
    });
    await createPriceOverride(handle.db, {
      ...valid,
      provider: null,
      inputPerMillionMicroUsd: 0,
      effectiveFrom: at("2025-04-01T00:00:00Z"),
    });

    const overrides = await loadPriceOverrides(handle.db);
    expect(overrides.map((o) => [o.provider, o.effectiveFrom.toISOString()])).toEqual([
      ["openai", "2025-02-01T00:00:00.000Z"],
      [null, "2025-04-01T00:00:00.000Z"],
    ]);
    const call = { provider: "openai", model: "gpt-4o", promptTokens: 1000, completionTokens: 1000 };
    expect(priceCall({ ...call, at: at("2025-03-01T00:00:00Z") }, overrides).costMicroUsd).toBe(2000 + 8000);
    expect(priceCall({ ...call, at: at("2025-05-01T00:00:00Z") }, overrides).costMicroUsd).toBe(8000);
  });

  it("refuses a second price for the same model and instant", async () => {
    const again = createPriceOverride(handle.db, { ...valid, provider: null });
    await expect(again).rejects.toBeInstanceOf(AppError);
    await expect(again).rejects.toMatchObject({ code: "conflict" });
    // Pricing would not tell these apart either.
    await expect(createPriceOverride(handle.db, { ...valid, model: "openai/GPT-4o" })).rejects.toMatchObject({
      code: "conflict",
    });
  });

  it.each([
    [{ ...valid, model: "  " }, /^model: /],
    [{ ...valid, model: undefined }, /^model: /],
    [{ ...valid, inputPerMillionMicroUsd: -1 }, /^inputPerMillionMicroUsd: must not be negative/],
    [{ ...valid, outputPerMillionMicroUsd: 1.5 }, /^outputPerMillionMicroUsd: /],
    [{ ...valid, outputPerMillionMicroUsd: "100" }, /^outputPerMillionMicroUsd: /],
    [{ ...valid, effectiveFrom: "next tuesday" }, /^effectiveFrom: must be a date/],
    [{ ...valid, effectiveFrom: undefined }, /^effectiveFrom: must be a date/],
    [{ ...valid, effectiveFrom: new Date("invalid") }, /^effectiveFrom: must be a date/],
    [{ ...valid, provider: 42 }, /^provider: /],
  ])("rejects %j as a bad request", async (input, message) => {
    const attempt = createPriceOverride(handle.db, input);
    await expect(attempt).rejects.toMatchObject({ code: "bad_request", message: expect.stringMatching(message) });
  });

  it("rejects input that is not an object", async () => {
    await expect(createPriceOverride(handle.db, null)).rejects.toMatchObject({ code: "bad_request" });
  });
});
