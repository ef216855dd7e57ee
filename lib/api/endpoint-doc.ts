import type { z } from "zod";
import type { Access } from "@/lib/accounts/access";

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/**
 * Placeholders in examples, filled in by the authorization test with rows it creates:
 * ":client" a client that the client user under test does not belong to, ":user" a
 * throwaway user, ":token" a throwaway API token, ":run" a sync run of that client,
 * ":now" the current time (ISO 8601).
 */
export interface EndpointExample {
  pathParams?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
}

/** One route and method, documented once: the OpenAPI document and the access test read it. */
export interface EndpointDoc {
  /** Defaults to GET. */
  method?: HttpMethod;
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** Who may call it; must match the route's `apiRoute({access})` (the test checks answers). */
  access: Access;
  query?: z.ZodType;
  pathParams?: z.ZodType;
  body?: z.ZodType;
  /** A named response schema (components.schemas); omitted: an object described in words. */
  response?: { name: string; schema: z.ZodType };
  /** Status of success; default 200. */
  status?: number;
  /** Also answers `format=csv`. */
  csv?: boolean;
  /** Reads one client's data: client users and client tokens get 404 for another client. */
  clientScoped?: boolean;
  /** A valid request, used by the authorization test. */
  example?: EndpointExample;
}
