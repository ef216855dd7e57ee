import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db/database";
import { clients, users } from "@/lib/db/schema";
import { USER_ROLES } from "@/lib/core/vocabulary";
import { AppError } from "@/lib/core/errors";
import { parseInput } from "@/lib/core/validation";
import { authFor } from "./auth";
import { NewPassword } from "./password-policy";

/** A client's id in a request body: a serial's range, so a huge number is a 400, not a database error. */
const ClientIdInput = z
  .number({ error: "must be a client id or null" })
  .int({ error: "must be a client id or null" })
  .positive({ error: "must be a client id or null" })
  .max(2_147_483_647, { error: "must be a client id or null" });

export const UserInput = z
  .object({
    email: z.string().trim().toLowerCase().email("must be an email address"),
    name: z.string().trim().min(1, "must not be empty").max(100).optional(),
    password: NewPassword,
    role: z.enum(USER_ROLES, { message: `must be one of ${USER_ROLES.join(", ")}` }),
    clientId: ClientIdInput.nullable().default(null),
  })
  .superRefine((u, ctx) => {
    if (u.role === "client" && u.clientId === null) {
      ctx.addIssue({ code: "custom", path: ["clientId"], message: "is required for a client user" });
    }
    if (u.role !== "client" && u.clientId !== null) {
      ctx.addIssue({
        code: "custom",
        path: ["clientId"],
        message: "must be empty for operators and admins (they see every client)",
      });
    }
  });

/** A user as the API and the admin pages show it: never the password hash or sessions. */
export const PublicUser = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(USER_ROLES),
  clientId: z.number().int().nullable(),
  clientName: z.string().nullable(),
  createdAt: z.string().meta({ format: "date-time" }),
});
export type PublicUser = z.infer<typeof PublicUser>;

/** A client that a user or an API token can be scoped to (the admin pages' selects). */
export const ClientChoice = z.object({ id: z.number().int(), name: z.string(), slug: z.string() });
export type ClientChoice = z.infer<typeof ClientChoice>;

/**
 * Creates a user with a password (admins invite users; there is no public sign-up).
 * Goes through better-auth's own adapter and hasher, so sign-in finds the account.
 */
export async function createUser(db: Db, input: unknown): Promise<PublicUser> {
  const data = parseInput(UserInput, input);
  if (data.clientId !== null) {
    const [client] = await db.select({ id: clients.id }).from(clients).where(eq(clients.id, data.clientId));
    if (!client) throw new AppError("bad_request", `clientId: client ${data.clientId} does not exist`);
  }
  const ctx = await authFor(db).$context;
  if (await ctx.internalAdapter.findUserByEmail(data.email)) {
    throw new AppError("conflict", `A user with email ${data.email} already exists`);
  }
  const user = await ctx.internalAdapter.createUser(
    {
      email: data.email,
      name: data.name ?? data.email.split("@")[0],
      emailVerified: true,
      role: data.role,
      clientId: data.clientId,
    },
    { method: "admin" },
  );
  await ctx.internalAdapter.linkAccount({
    userId: user.id,
    providerId: "credential",
    accountId: user.id,
    password: await ctx.password.hash(data.password),
  });
  const created = await findUser(db, user.id);
  if (!created) throw new AppError("internal", `User ${user.id} vanished after creation`);
  return created;
}

/** Explicit columns joined with the client's name: the shape of every user answer. */
function selectPublicUsers(db: Db) {
  return db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      clientId: users.clientId,
      clientName: clients.name,
      createdAt: users.createdAt,
    })
    .from(users)
    .leftJoin(clients, eq(clients.id, users.clientId));
}

type PublicUserRow = Omit<PublicUser, "createdAt"> & { createdAt: Date };
const toPublicUser = (r: PublicUserRow): PublicUser => ({ ...r, createdAt: r.createdAt.toISOString() });

export async function listUsers(db: Db): Promise<PublicUser[]> {
  const rows = await selectPublicUsers(db).orderBy(asc(users.email));
  return rows.map(toPublicUser);
}

export async function findUser(db: Db, id: string): Promise<PublicUser | undefined> {
  const [row] = await selectPublicUsers(db).where(eq(users.id, id));
  return row && toPublicUser(row);
}

/**
 * Deleting a user also ends their sessions (foreign keys cascade). The last admin cannot
 * be deleted; the admin rows are locked first, as in updateUser, so two admins deleting
 * (or demoting) each other at once cannot leave none.
 */
export async function deleteUser(db: Db, id: string, actingUserId: string | null): Promise<void> {
  if (id === actingUserId) throw new AppError("bad_request", "id: you cannot delete yourself");
  await db.transaction(async (tx) => {
    const admins = await tx.select({ id: users.id }).from(users).where(eq(users.role, "admin")).for("update");
    if (admins.some((a) => a.id === id) && admins.length === 1) {
      throw new AppError("bad_request", "id: this user is the only admin; make another user an admin first");
    }
    const [row] = await tx.delete(users).where(eq(users.id, id)).returning({ id: users.id });
    if (!row) throw new AppError("not_found", `User ${id} not found`);
  });
}

/**
 * What an admin may change on a user: the role, and the client of a client user. Only
 * the given fields change; the result must still be a consistent scope (checked in
 * updateUser, against the stored row).
 */
export const UserPatch = z
  .object({
    role: z.enum(USER_ROLES, { message: `must be one of ${USER_ROLES.join(", ")}` }).optional(),
    clientId: ClientIdInput.nullable().optional(),
  })
  .strict();
export type UserPatch = z.infer<typeof UserPatch>;

/**
 * Changes a user's role or client. A client user needs a client and nobody else may have
 * one (leaving the client role clears it); the last admin cannot stop being one, or
 * nobody could administer anything any more. The admin rows are locked first, so two
 * admins demoting each other at once cannot both succeed. Role and scope are read
 * again on every request (lib/accounts/viewer.ts), so the change applies at once.
 */
export async function updateUser(db: Db, id: string, input: unknown, actingUserId: string | null): Promise<PublicUser> {
  const patch = parseInput(UserPatch, input);
  await db.transaction(async (tx) => {
    const admins = await tx.select({ id: users.id }).from(users).where(eq(users.role, "admin")).for("update");
    const [current] = await tx
      .select({ role: users.role, clientId: users.clientId })
      .from(users)
      .where(eq(users.id, id))
      .for("update");
    if (!current) throw new AppError("not_found", `User ${id} not found`);
    const role = patch.role ?? current.role;
    const clientId = patch.clientId !== undefined ? patch.clientId : role === "client" ? current.clientId : null;
    if (role === "client" && clientId === null) {
      throw new AppError("bad_request", "clientId: is required for a client user");
    }
    if (role !== "client" && clientId !== null) {
      throw new AppError("bad_request", "clientId: must be empty for operators and admins (they see every client)");
    }
    if (clientId !== null) {
      const [client] = await tx.select({ id: clients.id }).from(clients).where(eq(clients.id, clientId));
      if (!client) throw new AppError("bad_request", `clientId: client ${clientId} does not exist`);
    }
    if (current.role === "admin" && role !== "admin" && !admins.some((a) => a.id !== id)) {
      const who = id === actingUserId ? "you are" : "this user is";
      throw new AppError("bad_request", `role: ${who} the only admin; make another user an admin first`);
    }
    await tx.update(users).set({ role, clientId, updatedAt: new Date() }).where(eq(users.id, id));
  });
  const updated = await findUser(db, id);
  if (!updated) throw new AppError("not_found", `User ${id} not found`);
  return updated;
}

/** Every client, sorted by name: id, name and slug only, so the n8n key never leaves the database. */
export async function listClientChoices(db: Db): Promise<ClientChoice[]> {
  return db
    .select({ id: clients.id, name: clients.name, slug: clients.slug })
    .from(clients)
    .orderBy(asc(clients.name), asc(clients.id));
}

/**
 * Creates an admin with this email unless the email already has an account: how the
 * first admin comes from ADMIN_EMAIL/ADMIN_PASSWORD at every start without duplicates.
 */
export async function ensureUser(db: Db, input: z.input<typeof UserInput>): Promise<"created" | "exists"> {
  const email = input.email.trim().toLowerCase();
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (existing) return "exists";
  await createUser(db, input);
  return "created";
}
