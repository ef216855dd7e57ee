import { apiRoute } from "@/lib/api/handler";
import { adminReprice } from "@/lib/api/contracts/llm";
import { repriceStoredUsage } from "@/lib/jobs/reprice";

/** Re-prices stored LLM usage with today's prices, then starts the rollup that carries it. */
export const POST = apiRoute(adminReprice, {
  handler: ({ db }) => repriceStoredUsage(db),
});
