/**
 * How the admin pages call the API from the browser: JSON in and out, the session cookie
 * rides along, and an error answer becomes an ApiError carrying the server's message
 * ("rules.excludePatterns.0: invalid regular expression ..."), which the forms show as-is.
 */
import { ApiError, errorText, sendJson } from "@/lib/web/fetch-json";

export { ApiError };

/** JSON in and out with the session cookie; errors throw ApiError with the server's message. */
export const adminApi = sendJson;

export { errorText };

/** Query keys of the admin pages, in one place so a mutation invalidates the right ones. */
export const adminKeys = {
  clients: ["admin", "clients"] as const,
  client: (id: number) => ["admin", "client", id] as const,
  syncRuns: (id: number) => ["admin", "sync-runs", id] as const,
  coverage: (id: number) => ["admin", "coverage", id] as const,
  preview: (id: number, rules: string) => ["admin", "preview", id, rules] as const,
  run: (runId: number) => ["tasks", "status", runId] as const,
  scheduler: ["tasks", "scheduler"] as const,
};
