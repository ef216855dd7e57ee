/**
 * The one way the dashboard reads the API, in the browser and during server prefetch.
 * Errors come back as `{error: {code, message}}`; they become an ApiError so a widget
 * can show the server's message (e.g. "end: must be after start") instead of a
 * generic failure.
 */

/** Query-string values; undefined ones are left out so they never reach the key or URL. */
export type ApiParams = Record<string, string | number | boolean | undefined>;

/**
 * Where a server-side fetch goes. In the browser a relative URL is enough; on the server
 * there is no base URL, so prefetch passes the request's own origin (and its cookies,
 * so the API applies the same authorisation as for the browser).
 */
export interface FetchContext {
  origin?: string;
  headers?: Record<string, string>;
}

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

export async function fetchJson<T>(
  path: string,
  params: ApiParams,
  ctx: FetchContext = {},
  signal?: AbortSignal,
): Promise<T> {
  if (typeof window === "undefined" && !ctx.origin) {
    // A relative URL cannot be fetched on the server. This happens when a leaf renders
    // on the server without a prefetched answer; React then retries it in the browser.
    throw new Error(`No origin to fetch ${path} from on the server`);
  }
  const res = await fetch(`${ctx.origin ?? ""}${apiPath(path, params)}`, {
    headers: { accept: "application/json", ...ctx.headers },
    cache: "no-store",
    signal,
  });
  if (!res.ok) throw await toApiError(res);
  return (await res.json()) as T;
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
