import type { z } from "zod";
import { fetch as undiciFetch, type Dispatcher, type RequestInit as UndiciRequestInit } from "undici";
import { env, privateN8nHostsAllowed } from "@/lib/core/env";
import type { ExecutionStatus } from "@/lib/core/vocabulary";
import { withTimeout } from "@/lib/core/timeout";
import {
  guardedAgent,
  resolveAllowed,
  sharedGuardedAgent,
  type GuardOptions,
  type HostResolver,
} from "./address-guard";
import {
  describeFailure,
  N8nError,
  networkFailure,
  retryAfterMs,
  serverMessage,
  type Failure,
  type N8nErrorKind,
} from "./errors";
import { N8nExecution, N8nExecutionPage, N8nWorkflow, N8nWorkflowPage } from "./schemas";

/** n8n answers 400 above this page size (the OpenAPI `maximum` of `limit`). */
export const MAX_PAGE_SIZE = 250;

export interface N8nRequestInfo {
  /** API path without the query, e.g. "/executions". */
  path: string;
  /** HTTP status, or null when no response arrived (network error, timeout). */
  status: number | null;
  /** 1 for the first try, 2 for the first retry, ... */
  attempt: number;
  ms: number;
}

export interface N8nClientOptions {
  /** The n8n editor's address; a trailing "/" or "/api/v1" is accepted. */
  baseUrl: string;
  apiKey: string;
  timeoutMs?: number;
  /** Retries after the first attempt. */
  maxRetries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /**
   * Replaces the HTTP layer (tests). The host is still checked before each client's first
   * request, but only the default fetch re-checks the address each connection uses.
   */
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  onRequest?: (info: N8nRequestInfo) => void;
  /**
   * This URL has answered like the n8n API before (clients.n8n_verified_at): an HTML page
   * now is a proxy's hiccup, retried and reported as invalid_response, never as not_n8n.
   */
  verified?: boolean;
  /** Called once, on the first answer like the n8n API, when `verified` was false. */
  onVerified?: () => void;
  /**
   * Whether the base URL may resolve to loopback, private and other non-public addresses
   * (link-local and cloud metadata ones are refused regardless). Default:
   * N8N_ALLOW_PRIVATE_HOSTS, on in demo, development and tests, off in production.
   */
  allowPrivateHosts?: boolean;
  /** How host names resolve (tests); default the system resolver. A client given one gets its own connection pool. */
  resolveHost?: HostResolver;
}

export interface ExecutionPageOptions {
  limit?: number;
  includeData?: boolean;
  workflowId?: string;
  status?: ExecutionStatus;
  /**
   * Start below this id instead of at the newest: a cursor in n8n's documented form
   * (base64 of {"lastId", "limit"}), so a sync can resume in a hole of its coverage.
   */
  belowId?: number;
}

export interface ExecutionPageResult {
  executions: N8nExecution[];
  nextCursor: string | null;
}

type Attempt<T> = { ok: true; value: T; status: number } | { ok: false; failure: Failure; status: number | null };

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class N8nClient {
  /** Normalised base URL, without "/api/v1" or a trailing "/". */
  readonly baseUrl: string;
  private readonly apiKey: string;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly fetchFn: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly requestListeners: Array<(info: N8nRequestInfo) => void> = [];
  /** Whether this URL has answered like the n8n API; until then HTML means "wrong URL". */
  private verified: boolean;
  private readonly onVerified?: () => void;
  private readonly guard: GuardOptions;
  /** The host passed the address check once; each new connection is still checked by the dispatcher. */
  private hostChecked = false;

  constructor(options: N8nClientOptions) {
    this.baseUrl = normaliseBaseUrl(options.baseUrl);
    this.apiKey = options.apiKey;
    this.timeoutMs = options.timeoutMs ?? env.N8N_TIMEOUT_MS;
    this.maxRetries = options.maxRetries ?? env.N8N_MAX_RETRIES;
    this.baseDelayMs = options.baseDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.guard = { allowPrivate: options.allowPrivateHosts ?? privateN8nHostsAllowed, resolve: options.resolveHost };
    this.fetchFn =
      options.fetch ??
      guardedFetch(options.resolveHost ? guardedAgent(this.guard) : sharedGuardedAgent(this.guard.allowPrivate));
    this.sleep = options.sleep ?? defaultSleep;
    if (options.onRequest) this.requestListeners.push(options.onRequest);
    this.verified = options.verified ?? false;
    this.onVerified = options.onVerified;
  }

  /** All workflows, one page at a time. */
  async *workflowPages(options: { limit?: number } = {}): AsyncGenerator<N8nWorkflow[]> {
    for await (const page of this.pages("/workflows", { limit: pageSize(options.limit) }, N8nWorkflowPage)) {
      yield page.data;
    }
  }

  /**
   * Executions newest first, one page at a time. Pages are never accumulated: a sync
   * of 200,000 executions must run in flat memory.
   */
  async *executionPages(options: ExecutionPageOptions = {}): AsyncGenerator<ExecutionPageResult> {
    const query = {
      limit: pageSize(options.limit),
      // Only when true: older n8n answers unknown or needless parameters with 400.
      includeData: options.includeData ? "true" : undefined,
      workflowId: options.workflowId,
      status: options.status,
    };
    const start = options.belowId === undefined ? null : executionCursor(options.belowId, query.limit);
    for await (const page of this.pages("/executions", query, N8nExecutionPage, start)) {
      yield { executions: page.data, nextCursor: page.nextCursor };
    }
  }

  /**
   * One execution, or null when n8n no longer has it (pruned or deleted). `maxRetries`
   * lowers the client's retries for this request (never raises them): a caller reading
   * many executions one by one gives up on each sooner and judges the pattern itself.
   */
  async getExecution(
    id: string,
    options: { includeData?: boolean; maxRetries?: number } = {},
  ): Promise<N8nExecution | null> {
    const path = `/executions/${encodeURIComponent(id)}`;
    const retries = Math.min(this.maxRetries, options.maxRetries ?? this.maxRetries);
    try {
      return await this.get(
        path,
        { includeData: options.includeData ? "true" : undefined },
        N8nExecution,
        true,
        retries,
      );
    } catch (err) {
      if (err instanceof N8nError && err.kind === "not_found") return null;
      throw err;
    }
  }

  private async *pages<T extends { nextCursor: string | null }>(
    path: string,
    query: Record<string, string | number | undefined>,
    schema: z.ZodType<T>,
    start: string | null = null,
  ): AsyncGenerator<T> {
    let cursor: string | null = start;
    do {
      const page: T = await this.get(path, { ...query, cursor: cursor ?? undefined }, schema, false);
      // A server repeating its cursor would loop forever; that is a broken answer.
      if (page.nextCursor !== null && page.nextCursor === cursor) {
        throw this.error("invalid_response", path, 1, { detail: "the same nextCursor was returned twice" });
      }
      yield page;
      cursor = page.nextCursor;
    } while (cursor !== null);
  }

  /** GET with timeout and retries. `detail`: a 404 with a JSON body means "no such item". */
  /** Adds a listener of every attempt, as `onRequest` (a sync counts its requests, retries and 429s). */
  observeRequests(listener: (info: N8nRequestInfo) => void): void {
    this.requestListeners.push(listener);
  }

  private async get<T>(
    path: string,
    query: Record<string, string | number | undefined>,
    schema: z.ZodType<T>,
    detail: boolean,
    maxRetries: number = this.maxRetries,
  ): Promise<T> {
    const url = new URL(`${this.baseUrl}/api/v1${path}`);
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      const result = await this.attempt(url, schema, detail);
      const info = { path, status: result.status, attempt, ms: performance.now() - started };
      for (const listener of this.requestListeners) listener(info);
      if (result.ok) {
        this.markVerified();
        return result.value;
      }
      const f = this.judge(result.failure);
      if (!f.retry || attempt > maxRetries) throw this.error(f.kind, path, attempt, f);
      if (f.waitMs !== undefined && f.waitMs > this.maxDelayMs) {
        // Waiting less than n8n asks would only earn another 429: give up until the next sync.
        const detail = `${f.detail}; asks to wait ${Math.ceil(f.waitMs / 1000)} s`;
        throw this.error(f.kind, path, attempt, { ...f, detail });
      }
      // Full jitter spreads the retries of many clients hitting one busy instance.
      const backoff = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1));
      await this.sleep(f.waitMs ?? Math.random() * backoff);
    }
  }

  /**
   * HTML (or any page that is not JSON) where the API should be: from a URL that never
   * answered like n8n, the wrong URL (after retries, in case it was a proxy's hiccup);
   * from one that did, a proxy in between acting up, worth another attempt.
   */
  private judge(f: Failure): Failure {
    if (!f.notJson) return f;
    if (this.verified) return { ...f, kind: "invalid_response", retry: true };
    return { ...f, kind: "not_n8n" };
  }

  private markVerified(): void {
    if (this.verified) return;
    this.verified = true;
    this.onVerified?.();
  }

  /**
   * Refuses the host before anything connects to it. The dispatcher re-checks every
   * connection, but IP literals never reach its lookup, and an injected fetch has none.
   */
  private async checkHost(url: URL): Promise<Failure | null> {
    if (this.hostChecked) return null;
    try {
      await withTimeout(resolveAllowed(url.hostname, this.guard), this.timeoutMs);
    } catch (err) {
      return networkFailure(err);
    }
    this.hostChecked = true;
    return null;
  }

  private async attempt<T>(url: URL, schema: z.ZodType<T>, detail: boolean): Promise<Attempt<T>> {
    const refused = await this.checkHost(url);
    if (refused) return { ok: false, status: null, failure: refused };
    let response: Response;
    let text: string;
    try {
      response = await this.fetchFn(url, {
        headers: { "X-N8N-API-KEY": this.apiKey, Accept: "application/json" },
        // Followed redirects would carry the API key to wherever they point.
        redirect: "manual",
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      // Inside the try: the timeout also covers a body that trickles in.
      text = await response.text();
    } catch (cause) {
      return { ok: false, status: null, failure: networkFailure(cause) };
    }
    const status = response.status;
    const fail = (failure: Failure): Attempt<T> => ({ ok: false, status, failure });
    const body = parseJson(text);
    const contentType = response.headers.get("content-type") ?? "";
    const notJson = !contentType.includes("json") || text.trimStart().startsWith("<");
    const message = serverMessage(body);

    if (status >= 300 && status < 400) {
      const to = new URL(response.headers.get("location") ?? "", url);
      const detail = `HTTP ${status} redirect to ${to.origin}${to.pathname}; use the final address`;
      return fail({ kind: "not_n8n", status, detail, retry: false });
    }
    if (status === 401 || status === 403) return fail({ kind: "unauthorized", status, detail: message, retry: false });
    if (status === 404) {
      if (detail && body !== undefined && !notJson) return fail({ kind: "not_found", status, retry: false });
      return fail({ kind: "not_n8n", status, detail: `404 on ${url.pathname}`, retry: false, notJson });
    }
    if (status === 429) {
      const waitMs = retryAfterMs(response.headers.get("retry-after"));
      return fail({ kind: "rate_limited", status, detail: message ?? "too many requests", retry: true, waitMs });
    }
    if (status >= 500) return fail({ kind: "server_error", status, detail: message, retry: true });
    if (status >= 400) return fail({ kind: "bad_request", status, detail: message, retry: false });
    if (status < 200 || status >= 300)
      return fail({ kind: "invalid_response", status, detail: `HTTP ${status}`, retry: true });

    if (body === undefined) {
      const what = notJson
        ? `a ${contentType.split(";")[0] || "non-JSON"} page`
        : `truncated or malformed JSON (${text.length} bytes)`;
      return fail({ kind: "invalid_response", status, detail: `got ${what}`, retry: true, notJson });
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const detailText = `unexpected shape at "${issue.path.join(".") || "(root)"}": ${issue.message}`;
      return fail({ kind: "invalid_response", status, detail: detailText, retry: true });
    }
    return { ok: true, value: parsed.data, status };
  }

  private error(kind: N8nErrorKind, path: string, attempts: number, f: Partial<Failure>): N8nError {
    const context = {
      baseUrl: this.baseUrl,
      path,
      status: f.status,
      detail: f.detail,
      attempts,
      timeoutMs: this.timeoutMs,
    };
    return new N8nError(kind, describeFailure(kind, context), { status: f.status, cause: f.cause });
  }
}

/** "https://n8n.example.com/api/v1/" and "https://n8n.example.com" name the same instance. */
export function normaliseBaseUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new N8nError(
      "not_n8n",
      `"${input}" is not a valid URL. Give the n8n editor's address, e.g. https://n8n.example.com.`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new N8nError("not_n8n", `${url.protocol} is not supported for the n8n base URL: use http or https.`);
  }
  if (url.username || url.password) {
    // fetch refuses such URLs, and they would leak into logs and messages.
    throw new N8nError("not_n8n", "The n8n base URL must not contain a user name or password.");
  }
  const path = url.pathname
    .replace(/\/+$/, "")
    .replace(/\/api\/v1$/i, "")
    .replace(/\/+$/, "");
  return `${url.origin}${path}`;
}

/** n8n's execution list cursor: the next page holds the executions with id < lastId. */
export function executionCursor(belowId: number, limit: number): string {
  return Buffer.from(JSON.stringify({ lastId: String(belowId), limit })).toString("base64");
}

function pageSize(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return MAX_PAGE_SIZE;
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(limit)));
}

/**
 * Node's built-in fetch runs on its own copy of undici, which may reject a dispatcher made
 * by this one (a different major): undici's fetch and Agent always come as a pair.
 */
function guardedFetch(dispatcher: Dispatcher): typeof fetch {
  // The client only ever passes a URL and a plain init object.
  const guarded = (input: URL, init?: RequestInit) =>
    undiciFetch(input, { ...(init as UndiciRequestInit), dispatcher });
  return guarded as unknown as typeof fetch;
}

/**
 * Escapes that parse into text PostgreSQL cannot store: NUL (text and jsonb reject it)
 * and UTF-16 surrogate halves (jsonb rejects a lone one, which JSON.stringify writes back
 * as such an escape). Raw ones cannot occur: control characters are invalid in JSON and
 * response.text() decodes broken UTF-8 to U+FFFD. Matching a paired surrogate or an
 * escaped backslash before "u0000" is harmless: the cleaning itself works on parsed strings.
 */
const UNSTORABLE_ESCAPE = /\\u(?:0000|[dD][89a-fA-F])/;

function parseJson(text: string): unknown {
  try {
    // The reviver costs a walk of every value: only for the rare page that needs it.
    return UNSTORABLE_ESCAPE.test(text) ? JSON.parse(text, storableJson) : JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Text from n8n, made storable: NUL removed, lone surrogates replaced with U+FFFD. Every
 * string of an answer goes through here (names, customData, node parameters, run data),
 * so nothing downstream has to think about it.
 */
export function storableText(s: string): string {
  const wellFormed = s.isWellFormed();
  if (wellFormed && !s.includes("\u0000")) return s;
  return (wellFormed ? s : s.toWellFormed()).replaceAll("\u0000", "");
}

/** JSON.parse reviver: strings, and object keys too (customData, runData are keyed by user text). */
function storableJson(_key: string, value: unknown): unknown {
  if (typeof value === "string") return storableText(value);
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  if (keys.every((k) => storableText(k) === k)) return value;
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    // defineProperty: a key "__proto__" (or one cleaned into it) must stay data, not a prototype.
    Object.defineProperty(out, storableText(key), {
      value: (value as Record<string, unknown>)[key],
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
