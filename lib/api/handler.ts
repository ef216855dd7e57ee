import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { getDb } from "@/lib/db/client";
import { AppError, errorResponse } from "@/lib/errors";
import { RangeError } from "@/lib/metrics/range";
import { toCsv } from "@/lib/metrics/csv";

export const FORMATS = ["json", "csv"] as const;

interface HandlerContext<Q, P> {
  query: Q;
  params: P;
  db: Db;
  request: Request;
}

interface RouteOptions<QS extends z.ZodType, P, R> {
  /** Parses the query string (repeated keys are not supported: last wins). */
  query: QS;
  handler: (ctx: HandlerContext<z.infer<QS>, P>) => Promise<R>;
  /** For `format=csv`: the rows of the answer. Routes without it answer 400 to csv. */
  csv?: (result: R) => ReadonlyArray<Record<string, unknown>>;
  /** File name stem of the CSV download. */
  name?: string;
}

/** A zod issue as "<param>: <message>", so a 400 says which parameter is wrong. */
export function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.join(".") || "query";
  return `${path}: ${issue.message}`;
}

function parseQuery<QS extends z.ZodType>(schema: QS, url: URL): z.infer<QS> {
  const raw = Object.fromEntries(url.searchParams.entries());
  delete raw.format;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new AppError("bad_request", describeIssue(parsed.error.issues[0]));
  return parsed.data;
}

/**
 * The one wrapper every API route handler goes through: it parses the query with zod,
 * resolves Next's params, opens the database, turns errors into `{error: {code,
 * message}}` with the right status (never a stack trace), and serves `format=csv`.
 * Authorization will live here too, so no handler can forget it.
 */
export function apiRoute<QS extends z.ZodType, P = Record<string, string>, R = unknown>(options: RouteOptions<QS, P, R>) {
  return async (request: Request, context: { params: Promise<P> }): Promise<Response> => {
    try {
      const url = new URL(request.url);
      const format = url.searchParams.get("format") ?? "json";
      if (!(FORMATS as readonly string[]).includes(format)) {
        throw new AppError("bad_request", `format: must be one of ${FORMATS.join(", ")}`);
      }
      if (format === "csv" && !options.csv) throw new AppError("bad_request", "format: csv is not available here");
      const query = parseQuery(options.query, url);
      const params = await context.params;
      const result = await options.handler({ query, params, db: await getDb(), request });
      if (result instanceof Response) return result;
      if (format === "csv" && options.csv) {
        return new Response(toCsv(options.csv(result)), {
          headers: {
            "content-type": "text/csv; charset=utf-8",
            "content-disposition": `attachment; filename="${options.name ?? "export"}.csv"`,
          },
        });
      }
      return Response.json(result, { headers: { "cache-control": "no-store" } });
    } catch (err) {
      if (err instanceof RangeError) return errorResponse(new AppError("bad_request", err.message));
      return errorResponse(err);
    }
  };
}

/** Path ids are positive integers; anything else is a 400 that names the parameter. */
export function parseId(value: string, name = "id"): number {
  if (!/^\d{1,9}$/.test(value) || Number(value) < 1) throw new AppError("bad_request", `${name}: must be a positive integer`);
  return Number(value);
}
