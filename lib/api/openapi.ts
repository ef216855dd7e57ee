/**
 * The OpenAPI 3.1 document of /api/v1, generated from the contracts the route handlers
 * are bound to (lib/api/contracts), so it cannot drift from what the handlers accept.
 */
import { z } from "zod";
import { CONTRACTS } from "@/lib/api/contracts";
import { ErrorResponse } from "@/lib/metrics/types";
import type { Contract } from "./contract";

type JsonSchema = Record<string, unknown>;

/** A zod schema as a JSON Schema object without the `$schema` header. */
function jsonSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: "any",
    target: "draft-2020-12",
  }) as JsonSchema;
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

const ACCESS_NOTE: Record<Contract["access"], string> = {
  public: "No credentials needed.",
  viewer: "Session or Bearer token; client users and client tokens only for their own client.",
  operator: "Operators, admins and global tokens.",
  admin: "Admins, signed in.",
  ingest: "Bearer API token (a client token only for its client), or an admin session.",
  system: "A global Bearer API token (not a client token), or an admin session.",
};

function operation(e: Contract) {
  const params = [
    ...(e.pathParams ? parameters(e.pathParams, "path") : []),
    ...(e.query ? parameters(e.query, "query") : []),
    ...(e.csv
      ? [
          {
            name: "format",
            in: "query",
            required: false,
            schema: { type: "string", enum: ["json", "csv"], default: "json" },
          },
        ]
      : []),
  ];
  const json = e.response ? { $ref: `#/components/schemas/${e.response.name}` } : { type: "object" };
  const secured = e.access !== "public";
  return {
    tags: [e.tag],
    summary: e.summary,
    description: [e.description, ACCESS_NOTE[e.access]].filter(Boolean).join(" "),
    parameters: params,
    ...(e.body
      ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(e.body, "input") } } } }
      : {}),
    ...(secured ? { security: [{ session: [] }, { bearer: [] }] } : {}),
    responses: {
      [String(e.status ?? 200)]: {
        description: e.raw?.description ?? "OK",
        content: e.raw
          ? { [e.raw.mediaType]: { schema: { type: "string" } } }
          : {
              "application/json": { schema: json },
              ...(e.csv ? { "text/csv": { schema: { type: "string" } } } : {}),
            },
      },
      ...(params.length > 0 || e.body
        ? { "400": errorResponse("A parameter or field is invalid; the message names it.") }
        : {}),
      ...(secured ? { "401": errorResponse("No session and no valid Bearer token.") } : {}),
      ...(secured && e.access !== "viewer" ? { "403": errorResponse("The role may not do this.") } : {}),
      ...(e.client ? { "404": errorResponse("Unknown client, or a client outside the caller's scope.") } : {}),
      "500": errorResponse("Internal error, without details."),
    },
  };
}

let cached: JsonSchema | undefined;

/** The document, built once per process. */
export function openApiDocument(): JsonSchema {
  if (cached) return cached;
  const schemas: Record<string, JsonSchema> = { ErrorResponse: jsonSchema(ErrorResponse, "output") };
  const paths: Record<string, Record<string, ReturnType<typeof operation>>> = {};
  for (const e of CONTRACTS) {
    if (e.response) schemas[e.response.name] ??= jsonSchema(e.response.schema, "output");
    (paths[e.path] ??= {})[e.method.toLowerCase()] = operation(e);
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
      { name: "admin", description: "Clients, rules, syncs (admins)" },
      { name: "tasks", description: "Syncs and scheduler status" },
      { name: "accounts", description: "Users and API tokens (admins)" },
      { name: "llm", description: "LLM usage and cost" },
      { name: "system", description: "Health, this document, and operational metrics and status" },
    ],
    paths,
    components: {
      schemas,
      securitySchemes: {
        session: { type: "apiKey", in: "cookie", name: "flowscope.session_token" },
        bearer: { type: "http", scheme: "bearer" },
      },
    },
  };
  return cached;
}
