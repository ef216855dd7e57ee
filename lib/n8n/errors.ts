import { ReadableError } from "@/lib/core/errors";
import { BlockedAddressError } from "./address-guard";

/**
 * Everything that can go wrong when talking to a client's n8n, as one error type whose
 * `kind` tells the caller what to do: fix the settings (unauthorized, not_n8n,
 * bad_request, blocked_address), or try again later (the rest). Messages are shown to operators as-is,
 * so they name the base URL and the likely fix, and never contain the API key.
 */
export const N8N_ERROR_KINDS = [
  "unauthorized",
  "not_n8n",
  "not_found",
  "unreachable",
  "timeout",
  "rate_limited",
  "server_error",
  "invalid_response",
  "bad_request",
  /** The base URL is or resolves to an address Flowscope refuses to call (address-guard.ts). */
  "blocked_address",
] as const;
export type N8nErrorKind = (typeof N8N_ERROR_KINDS)[number];

/** Kinds that another attempt later cannot fix: the client's settings must change. */
const PERMANENT: ReadonlySet<N8nErrorKind> = new Set(["unauthorized", "not_n8n", "bad_request", "blocked_address"]);

/**
 * Kinds that say the instance, or what stands in front of it, is not answering (down,
 * overloaded, a proxy failing) rather than that one request was wrong. Several of these
 * in a row mean further requests would only wait through the same retries.
 */
const OUTAGE: ReadonlySet<N8nErrorKind> = new Set([
  "unreachable",
  "timeout",
  "server_error",
  "invalid_response",
  "rate_limited",
]);

export class N8nError extends ReadableError {
  readonly kind: N8nErrorKind;
  readonly status?: number;

  constructor(kind: N8nErrorKind, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "N8nError";
    this.kind = kind;
    this.status = options.status;
  }

  /** False when retrying cannot help (wrong key, wrong URL, a request n8n rejects). */
  get transient(): boolean {
    return !PERMANENT.has(this.kind);
  }

  /** True when n8n (or its proxy) is not answering, as opposed to one request failing on its own. */
  get outage(): boolean {
    return OUTAGE.has(this.kind);
  }
}

export interface FailureContext {
  baseUrl: string;
  /** API path without the query, e.g. "/executions". */
  path: string;
  status?: number;
  /** Short technical detail: server message, parse problem; for blocked_address, the whole refusal. */
  detail?: string;
  attempts: number;
  timeoutMs: number;
}

/** The operator-facing message of each kind. */
export function describeFailure(kind: N8nErrorKind, c: FailureContext): string {
  const where = `n8n at ${c.baseUrl}`;
  const detail = c.detail ? ` (${c.detail})` : "";
  const tries = c.attempts > 1 ? ` after ${c.attempts} attempts` : "";
  switch (kind) {
    case "unauthorized":
      return c.status === 403
        ? `${where} refused ${c.path} (403${detail}): the API key lacks the permission (scope) to read it. Give the key read access to workflows and executions.`
        : `${where} rejected the API key (401${detail}): the API key is wrong, revoked or expired. Create a new key in n8n (Settings > n8n API) and update the client.`;
    case "not_n8n":
      return `No n8n public API found at ${c.baseUrl}/api/v1${detail}. Check the base URL (the address of the n8n editor, e.g. https://n8n.example.com) and that the public API is enabled (on n8n Cloud it needs a paid plan).`;
    case "not_found":
      return `${where} has no ${c.path} (404${detail}).`;
    case "unreachable":
      return `Cannot reach n8n at ${c.baseUrl}${detail}${tries}. Check the URL and that n8n is running and reachable from Flowscope.`;
    case "timeout":
      return `${where} did not answer ${c.path} within ${c.timeoutMs} ms${tries}. The instance may be overloaded; the next sync will try again.`;
    case "rate_limited":
      return `${where} is rate-limiting this API key (429${detail})${tries}. The next sync will try again.`;
    case "server_error":
      return `${where} failed on ${c.path} with HTTP ${c.status ?? "5xx"}${detail}${tries}. The next sync will try again.`;
    case "invalid_response":
      return `${where} sent an unreadable answer to ${c.path}${detail}${tries}. A proxy in front of n8n may be cutting or replacing responses.`;
    case "bad_request":
      return `${where} rejected the request to ${c.path} (HTTP ${c.status ?? 400}${detail}). This n8n version may not support it.`;
    case "blocked_address":
      return `${where} ${c.detail ?? "is an address Flowscope does not call"}.`;
  }
}

// How the client classifies one failed attempt, before it knows whether it is the last.

/** One failed attempt. */
export interface Failure {
  kind: N8nErrorKind;
  status?: number;
  detail?: string;
  retry: boolean;
  /** Server-imposed wait (Retry-After), used as-is instead of the backoff. */
  waitMs?: number;
  /** The body was HTML or plain text, not JSON: the sign of a wrong base URL. */
  notJson?: boolean;
  cause?: unknown;
}

/** n8n answers errors as `{"message": "..."}`; keep it short in our messages. */
export function serverMessage(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null || !("message" in body)) return undefined;
  const message = (body as { message: unknown }).message;
  return typeof message === "string" ? message.slice(0, 200) : undefined;
}

/** Retry-After is seconds, or an HTTP date. */
export function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

export function networkFailure(cause: unknown): Failure {
  const name = cause instanceof Error ? cause.name : "";
  if (name === "TimeoutError") return { kind: "timeout", retry: true, cause };
  // undici wraps what the connection's lookup refused: TypeError("fetch failed", { cause }).
  const blocked = blockedIn(cause);
  if (blocked) return blockedFailure(blocked);
  // One detail for every way a connection fails (ECONNREFUSED, ECONNRESET, EHOSTUNREACH,
  // ENOTFOUND, TLS...): whoever can test a connection must not learn from the answer which
  // ports of a host are open. The system error stays in `cause`, for server logs only.
  return { kind: "unreachable", retry: true, detail: "could not connect", cause };
}

/** A refused address: no other attempt can change it, only the base URL or the setting. */
export function blockedFailure(err: BlockedAddressError): Failure {
  return { kind: "blocked_address", retry: false, detail: err.predicate, cause: err };
}

function blockedIn(err: unknown): BlockedAddressError | null {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof BlockedAddressError) return e;
  }
  return null;
}
