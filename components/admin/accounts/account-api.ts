/**
 * The users and tokens API as the admin pages use it: one queryOptions per list (the
 * server page seeds it, the client leaves read it) and one call for every change.
 * Types only from lib/accounts, so no server code reaches the browser bundle.
 */
import { queryOptions } from "@tanstack/react-query";
import type { CreatedApiToken, PublicApiToken } from "@/lib/accounts/tokens";
import type { ResetLink } from "@/lib/accounts/password-reset";
import type { PublicUser } from "@/lib/accounts/users";
import { errorText, fetchJson, fieldOf, sendJson } from "@/lib/web/fetch-json";

export const USERS_API = "/api/v1/admin/users";
export const TOKENS_API = "/api/v1/admin/tokens";

export const usersQuery = () =>
  queryOptions({
    queryKey: ["admin", "users"] as const,
    queryFn: async ({ signal }) => (await fetchJson<{ users: PublicUser[] }>(USERS_API, {}, signal)).users,
  });

export const tokensQuery = () =>
  queryOptions({
    queryKey: ["admin", "tokens"] as const,
    queryFn: async ({ signal }) => (await fetchJson<{ tokens: PublicApiToken[] }>(TOKENS_API, {}, signal)).tokens,
  });

export interface NewUser {
  email: string;
  name?: string;
  password: string;
  role: PublicUser["role"];
  clientId: number | null;
}

const send = <T>(method: "POST" | "PATCH" | "DELETE", path: string, body?: unknown) =>
  sendJson<T>(path, { method, body });

/** What an admin changes on a user: role, and the client of a client user. */
export interface UserChange {
  role: PublicUser["role"];
  clientId: number | null;
}

export const createUser = (user: NewUser) => send<PublicUser>("POST", USERS_API, user);
export const updateUser = (id: string, change: UserChange) =>
  send<PublicUser>("PATCH", `${USERS_API}/${encodeURIComponent(id)}`, change);
export const createResetLink = (id: string) =>
  send<ResetLink>("POST", `${USERS_API}/${encodeURIComponent(id)}/reset-link`);
export const deleteUser = (id: string) => send<{ deleted: true }>("DELETE", `${USERS_API}/${encodeURIComponent(id)}`);
export const createToken = (body: { name: string; clientId: number | null }) =>
  send<CreatedApiToken>("POST", TOKENS_API, body);
export const revokeToken = (id: number) => send<{ revoked: true }>("DELETE", `${TOKENS_API}/${id}`);

export { errorText, fieldOf };
