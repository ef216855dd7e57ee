import type { z } from "zod";
import type { Access } from "@/lib/accounts/access";

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/**
 * Placeholders in examples, filled in by the authorization test with rows it creates:
 * ":client" a client that the client user under test does not belong to, ":user" a
 * throwaway user, ":token" a throwaway API token, ":run" a sync run of that client,
 * ":rule", ":channel", ":silence" and ":alert" alert rows, ":metric" a system-metric
 * point, ":now" the current time (ISO 8601).
 */
export interface ContractExample {
  pathParams?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
}

/**
 * One route and method, written once: its handler is bound to it (`apiRoute(contract,
 * …)` parses and authorizes with these fields), the OpenAPI document is generated from
 * it, and the route test derives its rows from it.
 */
export interface Contract<
  A extends Access = Access,
  QS extends z.ZodType = z.ZodType,
  PS extends z.ZodType = z.ZodType,
  BS extends z.ZodType = z.ZodType,
> {
  method: HttpMethod;
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** Who may call it (lib/accounts/access.ts). */
  access: A;
  /** The query string (repeated keys are not supported: last wins). */
  query?: QS;
  /** Path parameters, parsed before the handler runs (400 naming the parameter). */
  pathParams?: PS;
  /** A JSON body (POST/PUT/PATCH). */
  body?: BS;
  /** Largest body accepted (413 beyond); batch routes raise it. */
  maxBodyBytes?: number;
  /** A batch route's list field, whose items the handler parses one by one (lib/core/validation.ts). */
  perItem?: string;
  /** A named response schema (components.schemas); omitted: an object described in words. */
  response?: { name: string; schema: z.ZodType };
  /** Status of success; default 200. */
  status?: number;
  /**
   * The answer is not JSON: the handler returns a Response of this media type (e.g.
   * Prometheus' text format), and the OpenAPI document describes it as such.
   */
  raw?: { mediaType: string; description: string };
  /** Also answers `format=csv` (the route gives the rows). */
  csv?: boolean;
  /**
   * Reads one client's data, named by the query's `clientId` or the path's `id`: client
   * users and client tokens get 404 for another client.
   */
  client?: "query" | "path";
  /** A valid request, used by the authorization test. */
  example?: ContractExample;
}

/** Keeps a contract's literal access and schema types, so handlers bound to it are typed by it. */
export function defineContract<
  A extends Access,
  QS extends z.ZodType = z.ZodType,
  PS extends z.ZodType = z.ZodType,
  BS extends z.ZodType = z.ZodType,
>(contract: Contract<A, QS, PS, BS>): Contract<A, QS, PS, BS> {
  return contract;
}
