import { apiRoute } from "@/lib/api/handler";
import { adminUserCreate, adminUsers } from "@/lib/api/contracts/accounts";
import { createUser, listUsers } from "@/lib/accounts/users";

/** Every user with role and client. */
export const GET = apiRoute(adminUsers, {
  handler: async ({ db }) => ({ users: await listUsers(db) }),
});

/** Invites a user with a password; 409 when the email already has an account. */
export const POST = apiRoute(adminUserCreate, {
  handler: ({ db, body }) => createUser(db, body),
});
