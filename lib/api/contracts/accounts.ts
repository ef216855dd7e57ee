/** Users and API tokens (admins), and a client's own metrics. */
import { z } from "zod";
import { defineContract } from "@/lib/api/contract";
import { MyMetricsQuery, MyMetricsResponse } from "@/lib/metrics/my-metrics";
import { idParam } from "@/lib/metrics/params";
import { PASSWORD_MIN_LENGTH } from "@/lib/accounts/password-policy";
import { ApiTokenInput, CreatedApiToken, PublicApiToken } from "@/lib/accounts/tokens";
import { PublicUser, UserInput, UserPatch } from "@/lib/accounts/users";
import { ResetLink } from "@/lib/accounts/password-reset";

const UserPathParams = z.object({ id: z.string().min(1).meta({ description: "The user's id." }) });
const TokenPathParams = z.object({ id: idParam("The API token's id.") });

const UsersResponse = z.object({ users: z.array(PublicUser) });
const TokensResponse = z.object({ tokens: z.array(PublicApiToken) });
const DeletedResponse = z.object({ deleted: z.literal(true) });
const RevokedResponse = z.object({ revoked: z.literal(true), apiToken: PublicApiToken });

export const adminUsers = defineContract({
  method: "GET",
  path: "/api/v1/admin/users",
  tag: "accounts",
  summary: "Every user with role and client",
  access: "admin",
  response: { name: "UsersResponse", schema: UsersResponse },
});

export const adminUserCreate = defineContract({
  method: "POST",
  path: "/api/v1/admin/users",
  tag: "accounts",
  summary: "Invite a user with a password",
  description:
    "`clientId` is required for the client role and must be empty for operators and admins; " +
    `the password has at least ${PASSWORD_MIN_LENGTH} characters (not counting spaces at either end) ` +
    "and is not one of the most common passwords (400 naming `password` otherwise). " +
    "409 when the email already has an account (so repeating the example answers 409).",
  body: UserInput,
  status: 201,
  access: "admin",
  response: { name: "PublicUser", schema: PublicUser },
  example: {
    body: {
      email: "invited-operator@example.test",
      name: "Invited operator",
      password: "correct-horse-battery",
      role: "operator",
    },
  },
});

export const adminUserDelete = defineContract({
  method: "DELETE",
  path: "/api/v1/admin/users/{id}",
  tag: "accounts",
  summary: "Delete a user; their sessions end",
  description: "An admin cannot delete themselves (400). 404 for an unknown id.",
  pathParams: UserPathParams,
  access: "admin",
  response: { name: "UserDeletedResponse", schema: DeletedResponse },
  example: { pathParams: { id: ":user" } },
});

export const adminUserUpdate = defineContract({
  method: "PATCH",
  path: "/api/v1/admin/users/{id}",
  tag: "accounts",
  summary: "Change a user's role or client",
  description:
    "Only the given fields change. A client user must have a client (`clientId`, 400 naming it otherwise); " +
    "operators and admins have none, and changing a client user to another role clears it. " +
    "The last admin cannot be given another role (400 naming `role`). The change applies to the user's next request. 404 for an unknown id.",
  pathParams: UserPathParams,
  body: UserPatch,
  access: "admin",
  response: { name: "PublicUser", schema: PublicUser },
  example: { pathParams: { id: ":user" }, body: { role: "client", clientId: ":client" } },
});

export const adminUserResetLink = defineContract({
  method: "POST",
  path: "/api/v1/admin/users/{id}/reset-link",
  tag: "accounts",
  summary: "Issue a one-time password reset link for a user, to pass on by hand",
  description:
    "No email is configured, so the link is answered instead of mailed (`delivery: manual`). " +
    "Opening it lets the user set a new password once, until `expiresAt` (24 hours); the reset signs the user out everywhere. " +
    "Each call issues a new link. 404 for an unknown id.",
  pathParams: UserPathParams,
  status: 201,
  access: "admin",
  response: { name: "ResetLink", schema: ResetLink },
  example: { pathParams: { id: ":user" } },
});

export const adminTokens = defineContract({
  method: "GET",
  path: "/api/v1/admin/tokens",
  tag: "accounts",
  summary: "Every API token, revoked ones included (never the token or its hash)",
  access: "admin",
  response: { name: "TokensResponse", schema: TokensResponse },
});

export const adminTokenCreate = defineContract({
  method: "POST",
  path: "/api/v1/admin/tokens",
  tag: "accounts",
  summary: "Create an API token; the answer is the only time the token is shown",
  description:
    "`clientId` null or absent: a global token, which reads every client like an operator but never administers. " +
    "With a `clientId`: the token reads only that client, like its client users.",
  body: ApiTokenInput,
  status: 201,
  access: "admin",
  response: { name: "CreatedApiToken", schema: CreatedApiToken },
  example: { body: { name: "Example token", clientId: null } },
});

export const adminTokenRevoke = defineContract({
  method: "DELETE",
  path: "/api/v1/admin/tokens/{id}",
  tag: "accounts",
  summary: "Revoke an API token (idempotent); it answers 401 from then on",
  pathParams: TokenPathParams,
  access: "admin",
  response: { name: "TokenRevokedResponse", schema: RevokedResponse },
  example: { pathParams: { id: ":token" } },
});

export const myMetrics = defineContract({
  method: "GET",
  path: "/api/v1/metrics/my-metrics",
  tag: "metrics",
  summary: "A client's own overview: who the client is, and its summary cards and daily trend",
  description:
    "Range as for /metrics/overview (default 7d). Client users and client tokens may leave out `clientId` (their own); " +
    "operators must give it (400 otherwise). CSV: the daily trend.",
  query: MyMetricsQuery,
  response: { name: "MyMetricsResponse", schema: MyMetricsResponse },
  csv: true,
  client: "query",
  access: "viewer",
  example: { query: { clientId: ":client" } },
});
