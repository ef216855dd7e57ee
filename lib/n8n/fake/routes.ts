import { EXECUTION_STATUSES, type ExecutionStatus } from "@/lib/core/vocabulary";
import type { FakeSource } from "./types";

/**
 * The public API's answers, per /work/shared/n8n/CONTRACT.md, as a pure function of the
 * request: the server adds HTTP and faults around it.
 */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface ApiRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  apiKey: string | undefined;
}

export interface ApiContext {
  apiKey: string;
  source: FakeSource;
  now: Date;
}

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 250;

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  headers: { "content-type": "application/json; charset=utf-8", ...headers },
  body: JSON.stringify(body),
});

/** The editor's single-page app, which n8n serves for any path outside its API. */
export const editorPage = (): Reply => ({
  status: 200,
  headers: { "content-type": "text/html; charset=utf-8" },
  body: '<!DOCTYPE html><html lang="en"><head><title>n8n.io - Workflow Automation</title></head><body><div id="app"></div></body></html>',
});

class BadRequest extends Error {}

function checkParams(query: URLSearchParams, allowed: string[]): void {
  for (const key of query.keys()) {
    // Older n8n's OpenAPI validator rejects parameters it does not know.
    if (!allowed.includes(key)) throw new BadRequest(`Unknown query parameter '${key}'`);
  }
}

function booleanParam(query: URLSearchParams, name: string): boolean | undefined {
  const value = query.get(name);
  if (value === null) return undefined;
  if (value !== "true" && value !== "false") throw new BadRequest(`request/query/${name} must be boolean`);
  return value === "true";
}

function limitParam(query: URLSearchParams): number {
  const value = query.get("limit");
  if (value === null) return DEFAULT_LIMIT;
  const limit = Number(value);
  if (!Number.isInteger(limit)) throw new BadRequest("request/query/limit must be number");
  if (limit > MAX_LIMIT) throw new BadRequest(`request/query/limit must be <= ${MAX_LIMIT}`);
  if (limit < 1) throw new BadRequest("request/query/limit must be >= 1");
  return limit;
}

function statusParam(query: URLSearchParams): ExecutionStatus | undefined {
  const value = query.get("status");
  if (value === null) return undefined;
  if (!(EXECUTION_STATUSES as readonly string[]).includes(value)) {
    throw new BadRequest(
      `request/query/status must be equal to one of the allowed values: ${EXECUTION_STATUSES.join(", ")}`,
    );
  }
  return value as ExecutionStatus;
}

export const encodeCursor = (payload: Record<string, unknown>) =>
  Buffer.from(JSON.stringify(payload)).toString("base64");

/** n8n's cursors are base64 JSON; the page size travels in them. */
function decodeCursor<K extends string>(cursor: string, key: K): Record<K | "limit", number> {
  try {
    const payload = JSON.parse(Buffer.from(cursor, "base64").toString("utf8")) as Record<string, unknown>;
    const value = Number(payload[key]);
    const limit = Number(payload.limit);
    if (Number.isSafeInteger(value) && value >= 0 && Number.isInteger(limit) && limit >= 1 && limit <= MAX_LIMIT) {
      return { [key]: value, limit } as Record<K | "limit", number>;
    }
  } catch {
    // fall through: any undecodable cursor is a 400
  }
  throw new BadRequest("An invalid cursor was provided");
}

function listExecutions(query: URLSearchParams, ctx: ApiContext): Reply {
  checkParams(query, ["includeData", "status", "workflowId", "projectId", "limit", "cursor"]);
  const includeData = booleanParam(query, "includeData") ?? false;
  const status = statusParam(query);
  const workflowId = query.get("workflowId") ?? undefined;
  const cursor = query.get("cursor");
  const { lastId, limit } = cursor ? decodeCursor(cursor, "lastId") : { lastId: null, limit: limitParam(query) };
  // One more than asked tells whether an older execution remains, hence the cursor.
  const items = ctx.source.listExecutions({
    beforeId: lastId,
    limit: limit + 1,
    workflowId,
    status,
    includeData,
    now: ctx.now,
  });
  const data = items.slice(0, limit);
  const last = data[data.length - 1];
  const nextCursor = items.length > limit && last ? encodeCursor({ lastId: last.id, limit }) : null;
  return json(200, { data, nextCursor });
}

function getExecution(id: string, query: URLSearchParams, ctx: ApiContext): Reply {
  checkParams(query, ["includeData"]);
  if (!/^\d+$/.test(id)) throw new BadRequest("request/params/id must be number");
  const includeData = booleanParam(query, "includeData") ?? false;
  const execution = ctx.source.getExecution(Number(id), { includeData, now: ctx.now });
  return execution ? json(200, execution) : json(404, { message: "Not Found" });
}

function listWorkflows(query: URLSearchParams, ctx: ApiContext): Reply {
  checkParams(query, ["active", "tags", "name", "projectId", "excludePinnedData", "limit", "cursor"]);
  const active = booleanParam(query, "active");
  const excludePinnedData = booleanParam(query, "excludePinnedData") ?? false;
  const tags = query.get("tags")?.split(",").filter(Boolean);
  const name = query.get("name");
  const cursor = query.get("cursor");
  const { offset, limit } = cursor ? decodeCursor(cursor, "offset") : { offset: 0, limit: limitParam(query) };
  type Listed = { name: string; active: boolean; tags: { name: string }[]; pinData?: unknown };
  const all = (ctx.source.workflows(ctx.now) as Listed[]).filter(
    (w) =>
      (active === undefined || w.active === active) &&
      (name === null || w.name === name) &&
      (!tags || w.tags.some((t) => tags.includes(t.name))),
  );
  const data = all.slice(offset, offset + limit).map((w) => (excludePinnedData ? { ...w, pinData: undefined } : w));
  const nextCursor = offset + limit < all.length ? encodeCursor({ limit, offset: offset + limit }) : null;
  return json(200, { data, nextCursor });
}

export function handleApi(req: ApiRequest, ctx: ApiContext): Reply {
  const route = req.path.replace(/\/+$/, "");
  const single = /^\/api\/v1\/executions\/([^/]+)$/.exec(route);
  const known = route === "/api/v1/executions" || route === "/api/v1/workflows" || single !== null;
  if (!known) return json(404, { message: "not found" });
  if (!req.apiKey) return json(401, { message: "'X-N8N-API-KEY' header required" });
  if (req.apiKey !== ctx.apiKey) return json(401, { message: "unauthorized" });
  if (req.method !== "GET") return json(405, { message: "method not allowed" });
  try {
    if (single) return getExecution(decodeURIComponent(single[1]), req.query, ctx);
    if (route === "/api/v1/executions") return listExecutions(req.query, ctx);
    return listWorkflows(req.query, ctx);
  } catch (err) {
    if (err instanceof BadRequest) return json(400, { message: err.message });
    throw err;
  }
}
