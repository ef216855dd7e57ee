/**
 * How the browser reads the API (server pages read the lib functions directly, see
 * server-queries.ts). Errors come back as `{error: {code, message}}`; they become an
 * ApiError so a widget can show the server's message (e.g. "end: must be after start")
 * instead of a generic failure.
 */

/** Query-string values; undefined ones are left out so they never reach the key or URL. */
export type ApiParams = Record<string, string | number | boolean | undefined>;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export function apiPath(path: string, params: ApiParams): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) search.set(key, String(value));
  }
  const qs = search.toString();
  return qs ? `${path}?${qs}` : path;
}

/**
 * GETs JSON from the API in the browser: a relative URL, the session cookie riding along.
 * An error answer throws ApiError with the server's message.
 */
export async function fetchJson<T>(path: string, params: ApiParams, signal?: AbortSignal): Promise<T> {
  if (typeof window === "undefined") {
    // A leaf rendered on the server without a prefetched answer (its prefetch failed):
    // there is no URL to fetch here, so React retries it in the browser.
    throw new Error(`${path} is fetched in the browser only`);
  }
  const res = await fetch(apiPath(path, params), {
    headers: { accept: "application/json" },
    cache: "no-store",
    signal,
  });
  if (!res.ok) throw await toApiError(res);
  return (await res.json()) as T;
}

/**
 * A JSON request from the browser that changes something (the admin pages): the session
 * cookie rides along; an error answer throws ApiError with the server's message, which
 * names the field ("rules.excludePatterns.0: invalid regular expression …").
 */
export async function sendJson<T>(
  path: string,
  init: { method?: string; body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? "GET",
      headers: {
        accept: "application/json",
        ...(init.body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      cache: "no-store",
      signal: init.signal,
    });
  } catch (err) {
    if (init.signal?.aborted) throw err;
    throw new ApiError(0, "network", "The server could not be reached.");
  }
  if (!res.ok) throw await toApiError(res);
  const text = await res.text();
  return (text ? JSON.parse(text) : null) as T;
}

/** A message for people from anything a query or mutation threw. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return error instanceof Error ? error.message : "Something went wrong; please try again.";
}

/** The form field a server message names ("clientId: is required …"), to mark it invalid. */
export function fieldOf<F extends string>(error: unknown, fields: readonly F[]): F | null {
  if (!(error instanceof ApiError)) return null;
  return fields.find((f) => error.message.startsWith(`${f}:`)) ?? null;
}

async function toApiError(res: Response): Promise<ApiError> {
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string } };
    if (body.error?.message) return new ApiError(res.status, body.error.code ?? "error", body.error.message);
  } catch {
    // Not JSON (a proxy page, a crash): fall through to the status line.
  }
  return new ApiError(res.status, "http_error", `The server answered ${res.status} ${res.statusText}`.trim());
}
