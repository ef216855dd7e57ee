import { z } from "zod";
import type { Db } from "@/lib/db/database";
import { getDb } from "@/lib/db/database";
import { AppError } from "@/lib/core/errors";
import { logError } from "@/lib/core/log";
import { RangeError } from "@/lib/metrics/range";
import { toCsv } from "@/lib/api/csv";
import { authorize, type Access } from "@/lib/accounts/access";
import { resolveViewer, type Viewer } from "@/lib/accounts/viewer";
import { describeIssue, findUnstorableText, parseInput, type InputOptions } from "@/lib/core/validation";
import type { Contract } from "./contract";
import { assertSameOrigin } from "./same-origin";
import { DEFAULT_MAX_BODY_BYTES, readJsonText } from "./request-body";

export { describeIssue };

export const FORMATS = ["json", "csv"] as const;

interface HandlerContext<Q, P, B, V> {
  query: Q;
  params: P;
  body: B;
  db: Db;
  request: Request;
  viewer: V;
}

type ViewerFor<A extends Access> = A extends "public" ? Viewer | null : Viewer;

/** What a route adds to its contract: the function that answers, and its CSV rows where the contract offers CSV. */
interface RouteImpl<A extends Access, Q, P, B, R> {
  handler: (ctx: HandlerContext<Q, P, B, ViewerFor<A>>) => Promise<R>;
  /**
   * A credential this route accepts besides sessions and API tokens (the Prometheus
   * scrape token): the viewer it stands for, or null to go on with the usual ones. The
   * contract's access still decides what that viewer may do.
   */
  credential?: (request: Request) => Viewer | null;
  /** For `format=csv`: the rows of the answer (the query may pick a table). */
  csv?: (result: R, query: Q) => ReadonlyArray<Record<string, unknown>>;
  /** File name stem of the CSV download. */
  name?: string | ((query: Q) => string);
}

/** A route handler with the contract it is bound to (the route test reads it). */
export type BoundRoute = ((request: Request, context: { params: Promise<unknown> }) => Promise<Response>) & {
  contract: Contract;
};

/** The client a request is about, from where its contract says it is (query `clientId` or path `id`). */
export function clientOf(contract: Contract, query: unknown, params: unknown): number | undefined {
  if (contract.client === "query") return (query as { clientId?: number }).clientId;
  if (contract.client === "path") return (params as { id?: number }).id;
  return undefined;
}

function parseQuery<QS extends z.ZodType>(schema: QS, url: URL): z.infer<QS> {
  const raw = Object.fromEntries(url.searchParams.entries());
  delete raw.format;
  return parseInput(schema, raw, "query");
}

async function parseBody<BS extends z.ZodType>(
  schema: BS,
  request: Request,
  maxBytes: number,
  options: InputOptions,
): Promise<z.infer<BS>> {
  const text = await readJsonText(request, maxBytes);
  let raw: unknown;
  try {
    raw = text.trim() === "" ? {} : JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "body: must be JSON");
  }
  return parseInput(schema, raw, "body", options);
}

/** Path parameters are text too: `/admin/users/1%00` is a 400, not a failed query. */
function checkParams(params: unknown): void {
  const unstorable = findUnstorableText(params, [], "path");
  if (unstorable) throw new AppError("bad_request", unstorable);
}

const NO_STORE = { "cache-control": "no-store" };

/** `{error: {code, message}}` with the code's status; anything unexpected is logged and answered as a bare 500. */
function errorResponse(err: unknown): Response {
  if (err instanceof RangeError) err = new AppError("bad_request", err.message);
  if (err instanceof AppError) return Response.json(err.toJSON(), { status: err.status, headers: NO_STORE });
  logError("[api] request failed", err);
  return Response.json({ error: { code: "internal", message: "Internal error" } }, { status: 500, headers: NO_STORE });
}

const EmptyObject = z.object({});

/**
 * Binds a route's handler to its contract (lib/api/contracts): the one wrapper every API
 * route goes through, doing what the contract says. In order: it resolves who is
 * asking (session cookie or Bearer token) and refuses anonymous callers of non-public
 * routes with 401; refuses a cookie-carried write from another origin (403); parses
 * query, path and body with the contract's zod schemas (400 naming the field; NUL and over-long text refused
 * before any schema; 415 for a body that is not JSON, 413 past the size limit);
 * authorizes the role and the client scope (403, or 404 for another client's data);
 * opens the database; answers JSON or `format=csv`, or the handler's own Response (a
 * contract with `raw`, such as Prometheus' text format); turns errors into
 * `{error: {code, message}}` with the right status, never a stack trace. No handler
 * does any of this itself.
 */
export function apiRoute<
  A extends Access,
  QS extends z.ZodType,
  PS extends z.ZodType,
  BS extends z.ZodType,
  R = unknown,
>(contract: Contract<A, QS, PS, BS>, impl: RouteImpl<A, z.infer<QS>, z.infer<PS>, z.infer<BS>, R>): BoundRoute {
  if (contract.csv && !impl.csv)
    throw new Error(`${contract.method} ${contract.path}: the contract offers CSV, the route gives no rows`);
  const route = async (request: Request, context: { params: Promise<unknown> }): Promise<Response> => {
    try {
      const db = await getDb();
      const viewer = impl.credential?.(request) ?? (await resolveViewer(db, request.headers));
      // Anonymous callers learn nothing about parameters: 401 before any validation.
      if (contract.access !== "public" && !viewer) authorize(viewer, contract.access);
      if (viewer?.via === "session") assertSameOrigin(request);
      const url = new URL(request.url);
      const format = url.searchParams.get("format") ?? "json";
      if (!(FORMATS as readonly string[]).includes(format)) {
        throw new AppError("bad_request", `format: must be one of ${FORMATS.join(", ")}`);
      }
      if (format === "csv" && !contract.csv) throw new AppError("bad_request", "format: csv is not available here");
      const query = parseQuery(contract.query ?? EmptyObject, url) as z.infer<QS>;
      const rawParams = (await context.params) ?? {};
      checkParams(rawParams);
      const parsePath = () =>
        (contract.pathParams ? parseInput(contract.pathParams, rawParams, "path") : rawParams) as z.infer<PS>;
      // A path that names the client is read before the scope check needs it; any other
      // path parameter only after the role check (a low role learns 403, not 400).
      const scopedParams = contract.client === "path" ? parsePath() : undefined;
      authorize(viewer, contract.access, clientOf(contract, query, scopedParams));
      const params = scopedParams ?? parsePath();
      const body = (
        contract.body
          ? await parseBody(contract.body, request, contract.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, {
              perItem: contract.perItem,
            })
          : {}
      ) as z.infer<BS>;
      const result = await impl.handler({ query, params, body, db, request, viewer: viewer as ViewerFor<A> });
      if (result instanceof Response) return result;
      if (format === "csv" && impl.csv) {
        const name = typeof impl.name === "function" ? impl.name(query) : impl.name;
        return new Response(toCsv(impl.csv(result, query)), {
          headers: {
            "content-type": "text/csv; charset=utf-8",
            "content-disposition": `attachment; filename="${name ?? "export"}.csv"`,
          },
        });
      }
      return Response.json(result, { status: contract.status ?? 200, headers: NO_STORE });
    } catch (err) {
      return errorResponse(err);
    }
  };
  return Object.assign(route, { contract: contract as Contract });
}

/**
 * Binds a route that answers on its own (health must answer without the database that
 * apiRoute opens first) to its contract, for the OpenAPI document and the route test.
 */
export function bindContract<F extends (request: Request) => Promise<Response>>(
  contract: Contract,
  route: F,
): F & { contract: Contract } {
  return Object.assign(route, { contract });
}
