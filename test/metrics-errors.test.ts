import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/lib/db/database";
import { GET as overviewGET } from "@/app/api/v1/metrics/overview/route";
import { GET as summaryGET } from "@/app/api/v1/metrics/summary/route";
import { GET as seriesGET } from "@/app/api/v1/metrics/series/route";
import { GET as liveSummaryGET } from "@/app/api/v1/metrics/live-summary/route";
import { GET as liveSeriesGET } from "@/app/api/v1/metrics/live-series/route";
import { GET as recentGET } from "@/app/api/v1/metrics/recent-activity/route";
import { GET as workflowsGET } from "@/app/api/v1/metrics/workflows/route";
import { GET as allGET } from "@/app/api/v1/metrics/all/route";
import { GET as historicalGET } from "@/app/api/v1/clients/[id]/historical/route";
import { GET as openapiGET } from "@/app/api/v1/openapi.json/route";
import { createTestDatabase } from "./helpers/db";
import { callRoute, useAsAppDatabase } from "./helpers/app-db";
import { createClient, createWorkflow } from "./helpers/factories";

let handle: DatabaseHandle;
let clientId: number;
let otherWorkflowId: number;
beforeAll(async () => {
  handle = await createTestDatabase();
  useAsAppDatabase(handle);
  clientId = (await createClient(handle.db)).id;
  const other = await createClient(handle.db);
  otherWorkflowId = (await createWorkflow(handle.db, other.id)).id;
});
afterAll(() => handle.close());

type Get = Parameters<typeof callRoute>[0];

/** Asserts an error answer: status, code, and a message that starts with the parameter's name. */
async function expectError(
  get: Get,
  url: string,
  status: number,
  code: string,
  param: string | RegExp,
  pathParams?: Record<string, string>,
) {
  const res = await callRoute(get, url, pathParams);
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(res.status, `${url}: ${JSON.stringify(body)}`).toBe(status);
  expect(body.error.code).toBe(code);
  if (typeof param === "string") expect(body.error.message, url).toMatch(new RegExp(`^${param}: `));
  else expect(body.error.message, url).toMatch(param);
  // Never a stack trace or a driver message.
  expect(body.error.message).not.toMatch(/\n\s+at |node_modules|postgres|pglite/i);
}

const CLIENT_RANGE_ENDPOINTS: Array<[string, Get]> = [
  ["/api/v1/metrics/overview", overviewGET],
  ["/api/v1/metrics/summary", summaryGET],
  ["/api/v1/metrics/series", seriesGET],
  ["/api/v1/metrics/live-summary", liveSummaryGET],
  ["/api/v1/metrics/live-series", liveSeriesGET],
  ["/api/v1/metrics/workflows", workflowsGET],
];

/** Bad range parameters, as every range endpoint must refuse them: [query, parameter named]. */
const BAD_RANGES: Array<[string, string]> = [
  ["timeframe=2d", "timeframe"],
  ["timeframe=", "timeframe"],
  ["start=yesterday", "start"],
  ["start=2026-13-01T00:00:00Z", "start"],
  ["start=2026-01-01T00:00:00Z&end=soon", "end"],
  ["end=2026-01-01T00:00:00Z", "start"],
  ["start=2026-01-02T00:00:00Z&end=2026-01-01T00:00:00Z", "end"],
  ["start=2026-01-01T00:00:00Z&end=2026-01-01T00:00:00Z", "end"],
  ["start=2023-01-01T00:00:00Z&end=2026-01-01T00:00:00Z", "end"],
  ["timeframe=7d&start=2026-01-01T00:00:00Z", "timeframe"],
  ["source=yearly", "source"],
  ["source=", "source"],
];

describe("bad input answers 400 naming the parameter, never 500", () => {
  for (const [path, get] of CLIENT_RANGE_ENDPOINTS) {
    describe(path, () => {
      it("refuses a missing, malformed or unknown clientId", async () => {
        await expectError(get, `${path}?timeframe=7d`, 400, "bad_request", "clientId");
        for (const bad of ["abc", "0", "-1", "1.5", "1e3", "", "99999999999"]) {
          await expectError(get, `${path}?clientId=${bad}`, 400, "bad_request", "clientId");
        }
        await expectError(get, `${path}?clientId=999999`, 404, "not_found", /Client 999999 not found/);
      });

      it("refuses every bad range parameter", async () => {
        for (const [query, param] of BAD_RANGES) {
          await expectError(get, `${path}?clientId=${clientId}&${query}`, 400, "bad_request", param);
        }
        await expectError(
          get,
          `${path}?clientId=${clientId}&start=yesterday`,
          400,
          "bad_request",
          /^start: must be an ISO 8601 date/,
        );
        await expectError(
          get,
          `${path}?clientId=${clientId}&start=2023-01-01&end=2026-01-01`,
          400,
          "bad_request",
          /^end: the range may span at most 2 years/,
        );
        await expectError(
          get,
          `${path}?clientId=${clientId}&start=2026-01-02&end=2026-01-01`,
          400,
          "bad_request",
          /^end: must be after start/,
        );
      });

      it("refuses an unknown format", async () => {
        await expectError(get, `${path}?clientId=${clientId}&format=xml`, 400, "bad_request", "format");
      });
    });
  }

  it("series and live-series refuse a bad granularity, or one finer than the source", async () => {
    for (const [path, get] of [
      ["/api/v1/metrics/series", seriesGET],
      ["/api/v1/metrics/live-series", liveSeriesGET],
    ] as const) {
      await expectError(get, `${path}?clientId=${clientId}&granularity=minute`, 400, "bad_request", "granularity");
      await expectError(get, `${path}?clientId=${clientId}&granularity=`, 400, "bad_request", "granularity");
      await expectError(
        get,
        `${path}?clientId=${clientId}&timeframe=7d&source=monthly&granularity=hour`,
        400,
        "bad_request",
        /^granularity: hour is finer than the monthly source/,
      );
      await expectError(
        get,
        `${path}?clientId=${clientId}&timeframe=30d&granularity=hour`,
        400,
        "bad_request",
        /^granularity: hour is finer than the daily source/,
      );
      await expectError(
        get,
        `${path}?clientId=${clientId}&timeframe=30d&source=weekly&granularity=month`,
        400,
        "bad_request",
        "granularity",
      );
      // Coarser than the source is fine.
      const ok = await callRoute(get, `${path}?clientId=${clientId}&timeframe=7d&granularity=week`);
      expect(ok.status).toBe(200);
    }
  });

  it("recent-activity refuses a bad limit or clientId", async () => {
    const path = "/api/v1/metrics/recent-activity";
    for (const bad of ["0", "101", "-5", "abc", "1.5", ""]) {
      await expectError(recentGET, `${path}?clientId=${clientId}&limit=${bad}`, 400, "bad_request", "limit");
    }
    await expectError(recentGET, `${path}?limit=5`, 400, "bad_request", "clientId");
    await expectError(recentGET, `${path}?clientId=x`, 400, "bad_request", "clientId");
    await expectError(recentGET, `${path}?clientId=999999`, 404, "not_found", /not found/);
    await expectError(recentGET, `${path}?clientId=${clientId}&format=pdf`, 400, "bad_request", "format");
    expect((await callRoute(recentGET, `${path}?clientId=${clientId}&limit=100`)).status).toBe(200);
  });

  it("metrics/all refuses bad range parameters and formats", async () => {
    for (const [query, param] of BAD_RANGES) {
      await expectError(allGET, `/api/v1/metrics/all?${query}`, 400, "bad_request", param);
    }
    await expectError(allGET, "/api/v1/metrics/all?format=xml", 400, "bad_request", "format");
  });

  it("historical refuses a bad id, period, workflowId or range", async () => {
    const url = (id: string, query = "") => [`/api/v1/clients/${id}/historical?${query}`, { id }] as const;
    for (const bad of ["abc", "0", "-2", "1.5"]) {
      const [u, p] = url(bad);
      await expectError(historicalGET, u, 400, "bad_request", "id", p);
    }
    const cases: Array<[string, string]> = [
      ["period=yearly", "period"],
      ["period=hourly", "period"],
      ["workflowId=abc", "workflowId"],
      ["workflowId=0", "workflowId"],
      ["format=xml", "format"],
      ...BAD_RANGES.filter(([q]) => !q.startsWith("source")),
    ];
    for (const [query, param] of cases) {
      const [u, p] = url(String(clientId), query);
      await expectError(historicalGET, u, 400, "bad_request", param, p);
    }
    const [unknownClient, p1] = url("999999");
    await expectError(historicalGET, unknownClient, 404, "not_found", /Client 999999 not found/, p1);
    // Another client's workflow is not found, not shown.
    const [foreign, p2] = url(String(clientId), `workflowId=${otherWorkflowId}`);
    await expectError(historicalGET, foreign, 404, "not_found", /Workflow/, p2);
  });

  it("openapi.json has no CSV form", async () => {
    await expectError(openapiGET, "/api/v1/openapi.json?format=csv", 400, "bad_request", "format");
  });

  it("accepts the valid forms of every range parameter", async () => {
    for (const query of [
      "timeframe=1h",
      "timeframe=6h",
      "timeframe=24h",
      "timeframe=90d",
      "start=2026-01-01",
      "start=2026-01-01T00:00:00%2B02:00&end=2026-01-02T00:00:00Z",
      "start=2024-01-01T00:00:00Z&end=2025-12-31T00:00:00Z",
      "timeframe=30d&source=hourly",
      "timeframe=30d&source=weekly",
    ]) {
      for (const [path, get] of CLIENT_RANGE_ENDPOINTS) {
        const res = await callRoute(get, `${path}?clientId=${clientId}&${query}`);
        expect(res.status, `${path}?${query}: ${await res.clone().text()}`).toBe(200);
      }
    }
  });
});
