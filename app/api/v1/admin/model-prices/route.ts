import { apiRoute } from "@/lib/api/handler";
import { addModelPrice, listModelPrices, ModelPriceBody } from "@/lib/metrics/model-prices";

/** Per-model price overrides (admins). */
export const GET = apiRoute({
  access: "admin",
  handler: ({ db }) => listModelPrices(db),
});

export const POST = apiRoute({
  access: "admin",
  body: ModelPriceBody,
  status: 201,
  handler: ({ db, body }) => addModelPrice(db, body),
});
