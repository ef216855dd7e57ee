import { apiRoute } from "@/lib/api/handler";
import { openApiDocument } from "@/lib/api/openapi";
import { EmptyQuery } from "@/lib/metrics/params";

/** The OpenAPI 3.1 document of /api/v1, generated from the zod schemas. */
export const GET = apiRoute({
  access: "public",
  query: EmptyQuery,
  handler: async () => openApiDocument(),
});
