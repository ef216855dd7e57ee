/**
 * The users and tokens API as the admin pages use it: one queryOptions per list (the
 * server page seeds it, the client leaves read it) and one call for every change.
 * Types only from lib/auth, so no server code reaches the browser bundle.
 */
import { queryOptions } from "@tanstack/react-query";
import type { CreatedApiToken, PublicApiToken } from "@/lib/auth/tokens";
import type { PublicUser } from "@/lib/auth/users";
import { ApiError, fetchJson } from "@/lib/query/fetch-json";

export const USERS_API = "/api/v1/admin/users";
export const TOKENS_API = "/api/v1/admin/tokens";

export const usersQuery = () =>
  queryOptions({
    queryKey: ["admin", "users"] as const,
    queryFn: async ({ signal }) => (await fetchJson<{ users: PublicUser[] }>(USERS_API, {}, {}, signal)).users,
  });

export const tokensQuery = () =>
  queryOptions({
    queryKey: ["admin", "tokens"] as const,
    queryFn: async ({ signal }) => (await fetchJson<{ tokens: PublicApiToken[] }>(TOKENS_API, {}, {}, signal)).tokens,
  });

export interface NewUser {
  email: string;
  name?: string;
  password: string;
  role: PublicUser["role"];
  clientId: number | null;
}

/** A JSON request that throws ApiError with the server's message ("password: must be …"). */
async function send<T>(method: "POST" | "DELETE", path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: { accept: "application/json", ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, "network", "The server could not be reached.");
  }
  const json: unknown = await res.json().catch(() => null);
  if (res.ok) return json as T;
  const message = (json as { error?: { code?: string; message?: string } } | null)?.error;
  throw new ApiError(res.status, message?.code ?? "http_error", message?.message ?? `The server answered ${res.status}`);
}

export const createUser = (user: NewUser) => send<PublicUser>("POST", USERS_API, user);
export const deleteUser = (id: string) => send<{ deleted: true }>("DELETE", `${USERS_API}/${encodeURIComponent(id)}`);
export const createToken = (body: { name: string; clientId: number | null }) => send<CreatedApiToken>("POST", TOKENS_API, body);
export const revokeToken = (id: number) => send<{ revoked: true }>("DELETE", `${TOKENS_API}/${id}`);

/** The form field a server message names ("clientId: is required …"), to mark it invalid. */
export function fieldOf<F extends string>(error: unknown, fields: readonly F[]): F | null {
  if (!(error instanceof ApiError)) return null;
  return fields.find((f) => error.message.startsWith(`${f}:`)) ?? null;
}

export function errorText(error: unknown): string {
  return error instanceof ApiError ? error.message : "Something went wrong; please try again.";
}

/** "2026-03-02 14:05 UTC": fixed format and zone, so the server render and hydration agree. */
export function formatDateTime(iso: string | null): string {
  return iso ? `${iso.slice(0, 16).replace("T", " ")} UTC` : "—";
}
