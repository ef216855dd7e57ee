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

interface RouteOptions<A extends Access, QS extends z.ZodType, BS extends z.ZodType, P, R> {
  /** Who may call the route (lib/accounts/access.ts). */
  access: A;
  /**
   * The client the request is about, for scoping: a client user or client token asking
   * for another client gets 404. Routes that read one client's data must say which.
   */
  client?: (query: z.infer<QS>, params: P) => number | undefined;
  /** Parses the query string (repeated keys are not supported: last wins). */
  query?: QS;
  /** Parses a JSON body (POST/PUT/PATCH). */
  body?: BS;
  /** Largest body accepted (413 beyond); batch routes raise it. */
  maxBodyBytes?: number;
  /** A batch route's list field, whose items the handler parses one by one (lib/core/validation.ts). */
  perItem?: string;
  handler: (ctx: HandlerContext<z.infer<QS>, P, z.infer<BS>, ViewerFor<A>>) => Promise<R>;
  /** Status of a successful answer (201 for creations). */
  status?: number;
  /** For `format=csv`: the rows of the answer (the query may pick a table). Routes without it answer 400 to csv. */
  csv?: (result: R, query: z.infer<QS>) => ReadonlyArray<Record<string, unknown>>;
  /** File name stem of the CSV download. */
  name?: string | ((query: z.infer<QS>) => string);
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
 * The one wrapper every API route handler goes through. In order: it resolves who is
 * asking (session cookie or Bearer token) and refuses anonymous callers of non-public
 * routes with 401; refuses a cookie-carried write from another origin (403); parses
 * query, path and body with zod (400 naming the field; NUL and over-long text refused
 * before any schema; 415 for a body that is not JSON, 413 past the size limit);
 * authorizes the role and the client scope (403, or 404 for another client's data);
 * opens the database; answers JSON or `format=csv`; turns errors into
 * `{error: {code, message}}` with the right status, never a stack trace. No handler
 * does any of this itself.
 */
export function apiRoute<
  A extends Access,
  QS extends z.ZodType = typeof EmptyObject,
  BS extends z.ZodType = typeof EmptyObject,
  P = Record<string, string>,
  R = unknown,
>(options: RouteOptions<A, QS, BS, P, R>) {
  return async (request: Request, context: { params: Promise<P> }): Promise<Response> => {
    try {
      const db = await getDb();
      const viewer = await resolveViewer(db, request.headers);
      // Anonymous callers learn nothing about parameters: 401 before any validation.
      if (options.access !== "public" && !viewer) authorize(viewer, options.access);
      if (viewer?.via === "session") assertSameOrigin(request);
      const url = new URL(request.url);
      const format = url.searchParams.get("format") ?? "json";
      if (!(FORMATS as readonly string[]).includes(format)) {
        throw new AppError("bad_request", `format: must be one of ${FORMATS.join(", ")}`);
      }
      if (format === "csv" && !options.csv) throw new AppError("bad_request", "format: csv is not available here");
      const query = parseQuery(options.query ?? EmptyObject, url) as z.infer<QS>;
      const params = await context.params;
      checkParams(params);
      authorize(viewer, options.access, options.client?.(query, params));
      const body = (
        options.body
          ? await parseBody(options.body, request, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, {
              perItem: options.perItem,
            })
          : {}
      ) as z.infer<BS>;
      const result = await options.handler({ query, params, body, db, request, viewer: viewer as ViewerFor<A> });
      if (result instanceof Response) return result;
      if (format === "csv" && options.csv) {
        const name = typeof options.name === "function" ? options.name(query) : options.name;
        return new Response(toCsv(options.csv(result, query)), {
          headers: {
            "content-type": "text/csv; charset=utf-8",
            "content-disposition": `attachment; filename="${name ?? "export"}.csv"`,
          },
        });
      }
      return Response.json(result, { status: options.status ?? 200, headers: NO_STORE });
    } catch (err) {
      return errorResponse(err);
    }
  };
}

export { parseId } from "./ids";
