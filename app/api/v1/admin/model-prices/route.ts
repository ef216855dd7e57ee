import { apiRoute } from "@/lib/api/handler";
import { adminModelPriceCreate, adminModelPrices } from "@/lib/api/contracts/llm";
import { addModelPrice, listModelPrices } from "@/lib/metrics/model-prices";

/** Per-model price overrides (admins). */
export const GET = apiRoute(adminModelPrices, {
  handler: ({ db }) => listModelPrices(db),
});

export const POST = apiRoute(adminModelPriceCreate, {
  handler: ({ db, body }) => addModelPrice(db, body),
});
