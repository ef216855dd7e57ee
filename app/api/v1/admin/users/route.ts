import { apiRoute } from "@/lib/api/handler";
import { createUser, listUsers, UserInput } from "@/lib/accounts/users";

/** Every user with role and client. */
export const GET = apiRoute({
  access: "admin",
  handler: async ({ db }) => ({ users: await listUsers(db) }),
});

/** Invites a user with a password; 409 when the email already has an account. */
export const POST = apiRoute({
  access: "admin",
  body: UserInput,
  status: 201,
  handler: ({ db, body }) => createUser(db, body),
});
