/**
 * The model price overrides API as the admin page uses it: one queryOptions for the list
 * (server prefetch and the client read share it) and the create call. Prices travel in
 * USD per million tokens.
 */
import { queryOptions } from "@tanstack/react-query";
import { z } from "zod";
import { fetchJson, type FetchContext } from "@/lib/query/fetch-json";
import { ModelPrice, ModelPricesResponse } from "@/lib/llm/types";

export const MODEL_PRICES_API = "/api/v1/admin/model-prices";

export { ModelPrice };

export const modelPricesQuery = (ctx?: FetchContext) =>
  queryOptions({
    queryKey: ["admin", "model-prices"] as const,
    queryFn: async ({ signal }) => ModelPricesResponse.parse(await fetchJson<unknown>(MODEL_PRICES_API, {}, ctx, signal)).prices,
  });

export type NewModelPrice = Omit<ModelPrice, "id">;

export type CreateResult = { ok: true; price: ModelPrice | null } | { ok: false; message: string; field: string | null };

const ErrorBody = z.object({ error: z.object({ code: z.string().optional(), message: z.string() }) });

/** The body fields a server message may name ("inputPerMillionUsd: must not be negative"). */
export const PRICE_FIELDS = ["model", "provider", "inputPerMillionUsd", "outputPerMillionUsd", "effectiveFrom"] as const;

/** POSTs one override; a refusal comes back as the server's own message, and the field it names. */
export async function createModelPrice(body: NewModelPrice): Promise<CreateResult> {
  let res: Response;
  try {
    res = await fetch(MODEL_PRICES_API, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
    });
  } catch {
    return { ok: false, message: "The server could not be reached.", field: null };
  }
  const json: unknown = await res.json().catch(() => null);
  if (res.ok) {
    const parsed = ModelPrice.safeParse(json);
    return { ok: true, price: parsed.success ? parsed.data : null };
  }
  const error = ErrorBody.safeParse(json);
  if (!error.success) return { ok: false, message: `The server answered ${res.status} ${res.statusText}`.trim(), field: null };
  const message = error.data.error.message;
  const named = PRICE_FIELDS.find((f) => message.startsWith(`${f}:`) || message.startsWith(`${f} `)) ?? null;
  return { ok: false, message, field: named };
}
