import { apiRoute } from "@/lib/api/handler";
import { adminPricesInForce } from "@/lib/api/contracts/llm";
import { listPricesInForce } from "@/lib/api/prices-in-force";

/** The price pricing uses now for each model in use, and where it comes from. */
export const GET = apiRoute(adminPricesInForce, {
  handler: ({ db }) => listPricesInForce(db),
});
