/** Health and the API document. */
import { defineContract } from "@/lib/api/contract";
import { NoParams } from "@/lib/metrics/params";

export const systemHealth = defineContract({
  method: "GET",
  path: "/api/v1/health",
  tag: "system",
  summary: "Database, scheduler and freshness; per-client detail for operators; 503 when the database is down",
  query: NoParams,
  access: "public",
});

export const systemOpenApi = defineContract({
  method: "GET",
  path: "/api/v1/openapi.json",
  tag: "system",
  summary: "This document",
  query: NoParams,
  access: "public",
});
