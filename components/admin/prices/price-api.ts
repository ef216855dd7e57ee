/**
 * The model price overrides API as the admin page uses it: one queryOptions for the list
 * (the client reads it; the server prefetches its key, lib/web/server-queries.ts) and the
 * create call. Prices travel in USD per million tokens.
 */
import { queryOptions } from "@tanstack/react-query";
import { errorText, fetchJson, fieldOf, sendJson } from "@/lib/web/fetch-json";
import { ModelPrice, ModelPricesResponse } from "@/lib/metrics/llm-usage-types";
import type { PricesInForceResponse } from "@/lib/api/prices-in-force";
import type { RepriceResult } from "@/lib/jobs/reprice";

export const MODEL_PRICES_API = "/api/v1/admin/model-prices";

export { ModelPrice };

export const modelPricesQuery = () =>
  queryOptions({
    queryKey: ["admin", "model-prices"] as const,
    queryFn: async ({ signal }) =>
      ModelPricesResponse.parse(await fetchJson<unknown>(MODEL_PRICES_API, {}, signal)).prices,
  });

export const PRICES_IN_FORCE_API = `${MODEL_PRICES_API}/in-force`;

/** The price pricing uses now for each model in use, and where it comes from. */
export const pricesInForceQuery = () =>
  queryOptions({
    queryKey: ["admin", "model-prices-in-force"] as const,
    queryFn: ({ signal }) => fetchJson<PricesInForceResponse>(PRICES_IN_FORCE_API, {}, signal),
  });

/** Re-prices every stored call; answers how many changed and the rollup run that follows. */
export const repriceStoredUsage = () => sendJson<RepriceResult>(`${MODEL_PRICES_API}/reprice`, { method: "POST" });

export type NewModelPrice = Omit<ModelPrice, "id">;

export type CreateResult =
  { ok: true; price: ModelPrice | null } | { ok: false; message: string; field: string | null };

/** The body fields a server message may name ("inputPerMillionUsd: must not be negative"). */
export const PRICE_FIELDS = [
  "model",
  "provider",
  "inputPerMillionUsd",
  "outputPerMillionUsd",
  "effectiveFrom",
] as const;

/** POSTs one override; a refusal comes back as the server's own message, and the field it names. */
export async function createModelPrice(body: NewModelPrice): Promise<CreateResult> {
  try {
    const created = ModelPrice.safeParse(await sendJson<unknown>(MODEL_PRICES_API, { method: "POST", body }));
    return { ok: true, price: created.success ? created.data : null };
  } catch (err) {
    return { ok: false, message: errorText(err), field: fieldOf(err, PRICE_FIELDS) };
  }
}
