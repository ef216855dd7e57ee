/**
 * The OpenAPI 3.1 document of /api/v1, generated from the same zod schemas the routes
 * parse their queries with (and the response schemas in ./types), so it cannot drift
 * from what the handlers accept. Add a route here when you add one under app/api/v1:
 * test/metrics-openapi.test.ts checks that every route file is listed.
 */
import { z } from "zod";
import { ExecutionMetricsParams } from "@/lib/metrics/execution/params";
import {
  ClientRangeQuery,
  EmptyQuery,
  HistoricalPathParams,
  HistoricalQuery,
  RangeQuery,
  RecentActivityQuery,
  SeriesQuery,
} from "./params";
import {
  AllClientsResponse,
  ErrorResponse,
  HistoricalResponse,
  OverviewResponse,
  RecentActivityResponse,
  SeriesResponse,
  SummaryResponse,
  WorkflowsResponse,
} from "./types";

type JsonSchema = Record<string, unknown>;

interface EndpointDoc {
  path: string;
  tag: string;
  summary: string;
  description?: string;
  query: z.ZodType;
  pathParams?: z.ZodType;
  /** A named response schema (components.schemas); omitted: an object described in words. */
  response?: { name: string; schema: z.ZodType };
  /** Also answers `format=csv`. */
  csv?: boolean;
  /** Whether a client id is looked up (404 when unknown). */
  clientScoped?: boolean;
}

const rangeNote = (defaultTimeframe: string) =>
  `Range: \`timeframe\` (1h, 6h, 24h, 7d, 30d, 90d; default ${defaultTimeframe}) or \`start\`/\`end\` (ISO 8601, end after start, at most 2 years). ` +
  "The rollup level is chosen by length (≤7d hourly, ≤90d daily, beyond monthly; a level past its retention moves up) unless `source` overrides it.";
const RANGE_NOTE = rangeNote("7d");

const EXECUTION_NOTE = "Sections of the execution dashboard; the same query string for each.";

export const ENDPOINTS: EndpointDoc[] = [
  {
    path: "/api/v1/metrics/overview",
    tag: "metrics",
    summary: "Summary cards with comparison to the previous period, and a daily trend",
    description: `${RANGE_NOTE} Cached until the next sync. CSV: the daily trend.`,
    query: ClientRangeQuery,
    response: { name: "OverviewResponse", schema: OverviewResponse },
    csv: true,
    clientScoped: true,
  },
  {
    path: "/api/v1/metrics/summary",
    tag: "metrics",
    summary: "Every metric over the range, from rollups",
    description: `${RANGE_NOTE} Cached until the next sync.`,
    query: ClientRangeQuery,
    response: { name: "SummaryResponse", schema: SummaryResponse },
    csv: true,
    clientScoped: true,
  },
  {
    path: "/api/v1/metrics/series",
    tag: "metrics",
    summary: "Time series from rollups; every bucket of the range, missing ones null",
    description: `${RANGE_NOTE} \`granularity\` defaults to the source's; finer than the source is a 400. Cached until the next sync.`,
    query: SeriesQuery,
    response: { name: "SeriesResponse", schema: SeriesResponse },
    csv: true,
    clientScoped: true,
  },
  {
    path: "/api/v1/metrics/live-summary",
    tag: "metrics",
    summary: "The summary computed from raw executions (not cached)",
    description: RANGE_NOTE,
    query: ClientRangeQuery,
    response: { name: "SummaryResponse", schema: SummaryResponse },
    csv: true,
    clientScoped: true,
  },
  {
    path: "/api/v1/metrics/live-series",
    tag: "metrics",
    summary: "The series computed from raw executions (not cached)",
    description: RANGE_NOTE,
    query: SeriesQuery,
    response: { name: "SeriesResponse", schema: SeriesResponse },
    csv: true,
    clientScoped: true,
  },
  {
    path: "/api/v1/metrics/recent-activity",
    tag: "metrics",
    summary: "The newest production executions",
    query: RecentActivityQuery,
    response: { name: "RecentActivityResponse", schema: RecentActivityResponse },
    csv: true,
    clientScoped: true,
  },
  {
    path: "/api/v1/metrics/workflows",
    tag: "metrics",
    summary: "Performance table per workflow",
    description: `${RANGE_NOTE} Cached until the next sync.`,
    query: ClientRangeQuery,
    response: { name: "WorkflowsResponse", schema: WorkflowsResponse },
    csv: true,
    clientScoped: true,
  },
  {
    path: "/api/v1/metrics/all",
    tag: "metrics",
    summary: "Operator overview of every client, with data freshness",
    description: `${RANGE_NOTE} Figures cached until the next sync; freshness per request.`,
    query: RangeQuery,
    response: { name: "AllClientsResponse", schema: AllClientsResponse },
    csv: true,
  },
  {
    path: "/api/v1/clients/{id}/historical",
    tag: "clients",
    summary: "Stored daily, weekly or monthly rollups of a client or one of its workflows",
    description:
      "Range as elsewhere (`source` does not apply: `period` picks the level); default the last 90 days (daily), 52 weeks (weekly) or 24 months (monthly).",
    query: HistoricalQuery,
    pathParams: HistoricalPathParams,
    response: { name: "HistoricalResponse", schema: HistoricalResponse },
    csv: true,
    clientScoped: true,
  },
  ...(
    [
      ["", "All execution sections in one answer"],
      ["/realtime", "Running and waiting executions now, queue depth, last sync's freshness"],
      ["/throughput", "Executions per minute, hour and day; peak; capacity use against the concurrency limit"],
      ["/latency", "Duration percentiles (p50–p99) from the histograms, and a distribution"],
      ["/performance", "Success rate, failures by workflow and by hour of day"],
      ["/patterns", "Timeline, bursts, and hourly anomalies against a trailing robust baseline"],
    ] as const
  ).map(
    ([suffix, summary]): EndpointDoc => ({
      path: `/api/v1/metrics/execution${suffix}`,
      tag: "execution",
      summary,
      description: `${EXECUTION_NOTE} ${rangeNote("24h")}`,
      query: ExecutionMetricsParams,
      clientScoped: true,
    }),
  ),
  {
    path: "/api/v1/health",
    tag: "system",
    summary: "Database, scheduler and per-client freshness; 503 when the database is down",
    query: EmptyQuery,
  },
  {
    path: "/api/v1/openapi.json",
    tag: "system",
    summary: "This document",
    query: EmptyQuery,
  },
];

/** A zod schema as a JSON Schema object without the `$schema` header. */
function jsonSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" }) as JsonSchema;
  return rest;
}

/** Parameters of one location from an object schema's properties; ids are integers, not patterns. */
function parameters(schema: z.ZodType, location: "query" | "path"): JsonSchema[] {
  const object = jsonSchema(schema, "input") as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    if (rest.type === "integer") delete rest.pattern;
    return {
      name,
      in: location,
      required: location === "path" || (object.required ?? []).includes(name),
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

const errorRef = { $ref: "#/components/schemas/ErrorResponse" };
const errorResponse = (description: string) => ({ description, content: { "application/json": { schema: errorRef } } });

function operation(e: EndpointDoc) {
  const params = [
    ...(e.pathParams ? parameters(e.pathParams, "path") : []),
    ...parameters(e.query, "query"),
    ...(e.csv
      ? [{ name: "format", in: "query", required: false, schema: { type: "string", enum: ["json", "csv"], default: "json" } }]
      : []),
  ];
  const json = e.response ? { $ref: `#/components/schemas/${e.response.name}` } : { type: "object" };
  return {
    tags: [e.tag],
    summary: e.summary,
    ...(e.description ? { description: e.description } : {}),
    parameters: params,
    responses: {
      "200": {
        description: "OK",
        content: {
          "application/json": { schema: json },
          ...(e.csv ? { "text/csv": { schema: { type: "string" } } } : {}),
        },
      },
      ...(params.length > 0 ? { "400": errorResponse("A parameter is invalid; the message names it.") } : {}),
      ...(e.clientScoped ? { "404": errorResponse("Unknown client (or workflow).") } : {}),
      "500": errorResponse("Internal error, without details."),
    },
  };
}

let cached: JsonSchema | undefined;

/** The document, built once per process. */
export function openApiDocument(): JsonSchema {
  if (cached) return cached;
  const schemas: Record<string, JsonSchema> = { ErrorResponse: jsonSchema(ErrorResponse, "output") };
  const paths: Record<string, { get: ReturnType<typeof operation> }> = {};
  for (const e of ENDPOINTS) {
    if (e.response) schemas[e.response.name] ??= jsonSchema(e.response.schema, "output");
    paths[e.path] = { get: operation(e) };
  }
  cached = {
    openapi: "3.1.0",
    info: {
      title: "Flowscope API",
      version: "1.0.0",
      description:
        "Long-term, production-only n8n execution metrics. Dates are ISO 8601 (UTC buckets), durations ms, money USD, rates percent. Errors answer `{error: {code, message}}`.",
    },
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    tags: [
      { name: "metrics", description: "Rollup-backed and live metrics" },
      { name: "execution", description: "Execution dashboard sections" },
      { name: "clients", description: "Per-client history" },
      { name: "system", description: "Health and this document" },
    ],
    paths,
    components: { schemas },
  };
  return cached;
}
