/**
 * How the admin pages call the API from the browser: JSON in and out, the session cookie
 * rides along, and an error answer becomes an ApiError carrying the server's message
 * ("rules.excludePatterns.0: invalid regular expression ..."), which the forms show as-is.
 */
import { ApiError } from "@/lib/query/fetch-json";

export { ApiError };

export async function adminApi<T>(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const res = await fetch(path, {
    method: init.method ?? "GET",
    headers: { accept: "application/json", ...(init.body === undefined ? {} : { "content-type": "application/json" }) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    cache: "no-store",
    signal: init.signal,
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    const error = (json as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ApiError(res.status, error?.code ?? "http_error", error?.message ?? `The server answered ${res.status} ${res.statusText}`.trim());
  }
  return json as T;
}

/** A message for people from anything a query or mutation threw. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return error instanceof Error ? error.message : "Something went wrong";
}

/** Query keys of the admin pages, in one place so a mutation invalidates the right ones. */
export const adminKeys = {
  clients: ["admin", "clients"] as const,
  client: (id: number) => ["admin", "client", id] as const,
  syncRuns: (id: number) => ["admin", "sync-runs", id] as const,
  preview: (id: number, rules: string) => ["admin", "preview", id, rules] as const,
  run: (runId: number) => ["tasks", "status", runId] as const,
  scheduler: ["tasks", "scheduler"] as const,
};
