import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/lib/db/database";
import { GET } from "@/app/api/v1/openapi.json/route";
import { createTestDatabase } from "./helpers/db";
import { callRoute, useAsAppDatabase } from "./helpers/app-db";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
  useAsAppDatabase(handle);
});
afterAll(() => handle.close());

/** Every route file under app/api/v1, as an OpenAPI path (`[id]` → `{id}`). */
function routePaths(dir = path.join(process.cwd(), "app/api/v1"), prefix = "/api/v1"): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile() && entry.name === "route.ts") out.push(prefix);
    if (entry.isDirectory()) {
      const segment = entry.name.replace(/^\[(.+)\]$/, "{$1}");
      out.push(...routePaths(path.join(dir, entry.name), `${prefix}/${segment}`));
    }
  }
  return out;
}

interface Parameter {
  name: string;
  in: string;
  required: boolean;
  schema: Record<string, unknown>;
}
interface Doc {
  openapi: string;
  paths: Record<
    string,
    {
      get: {
        parameters: Parameter[];
        responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>;
      };
    }
  >;
  components: { schemas: Record<string, { type?: string; properties?: Record<string, unknown>; required?: string[] }> };
}

describe("GET /api/v1/openapi.json", () => {
  it("is an OpenAPI 3.1 document listing every /api/v1 route, with parameters from the zod schemas", async () => {
    const res = await callRoute(GET, "/api/v1/openapi.json");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    const doc = JSON.parse(await res.text()) as Doc;
    expect(doc.openapi).toBe("3.1.0");

    const routes = routePaths();
    expect(routes).toContain("/api/v1/metrics/overview");
    expect(Object.keys(doc.paths).sort()).toEqual(expect.arrayContaining(routes.sort()));
    for (const documented of Object.keys(doc.paths))
      expect(routes, `${documented} has no route file`).toContain(documented);

    const params = (p: string) => Object.fromEntries(doc.paths[p].get.parameters.map((x) => [x.name, x]));
    const series = params("/api/v1/metrics/series");
    expect(series.clientId).toMatchObject({ in: "query", required: true, schema: { type: "integer", minimum: 1 } });
    expect(series.timeframe.schema).toMatchObject({ enum: ["1h", "6h", "24h", "7d", "30d", "90d"] });
    expect(series.source.schema).toMatchObject({
      enum: ["auto", "hourly", "daily", "weekly", "monthly"],
      default: "auto",
    });
    expect(series.granularity).toMatchObject({ required: false, schema: { enum: ["hour", "day", "week", "month"] } });
    expect(series.start.required).toBe(false);
    expect(series.format.schema).toMatchObject({ enum: ["json", "csv"] });
    expect(params("/api/v1/metrics/recent-activity").limit.schema).toMatchObject({
      type: "integer",
      minimum: 1,
      maximum: 100,
      default: 10,
    });
    const historical = params("/api/v1/clients/{id}/historical");
    expect(historical.id).toMatchObject({ in: "path", required: true, schema: { type: "integer" } });
    expect(historical.period.schema).toMatchObject({ enum: ["daily", "weekly", "monthly"] });
    expect(historical.source).toBeUndefined();
    expect(params("/api/v1/metrics/execution/patterns").clientId.required).toBe(true);
    expect(params("/api/v1/metrics/all").clientId).toBeUndefined();

    // Responses reference schemas generated from ./types, and those resolve.
    const ok = doc.paths["/api/v1/metrics/overview"].get.responses["200"].content;
    expect(ok?.["application/json"].schema.$ref).toBe("#/components/schemas/OverviewResponse");
    expect(ok?.["text/csv"]).toBeDefined();
    for (const [p, item] of Object.entries(doc.paths)) {
      for (const response of Object.values(item).flatMap((operation) => Object.values(operation.responses))) {
        for (const media of Object.values(response.content ?? {})) {
          const ref = media.schema.$ref;
          if (ref)
            expect(doc.components.schemas[ref.replace("#/components/schemas/", "")], `${p} → ${ref}`).toBeDefined();
        }
      }
    }
    const overview = doc.components.schemas.OverviewResponse;
    expect(overview.required).toEqual(expect.arrayContaining(["totals", "dailyTrend", "period", "source"]));
    expect(doc.paths["/api/v1/metrics/overview"].get.responses["404"]).toBeDefined();
    expect(doc.paths["/api/v1/metrics/overview"].get.responses["400"]).toBeDefined();
  });
});
