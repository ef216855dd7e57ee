import { apiRoute } from "@/lib/api/handler";
import { systemOpenApi } from "@/lib/api/contracts/system";
import { openApiDocument } from "@/lib/api/openapi";

/** The OpenAPI 3.1 document of /api/v1, generated from the contracts. */
export const GET = apiRoute(systemOpenApi, {
  handler: async () => openApiDocument(),
});
