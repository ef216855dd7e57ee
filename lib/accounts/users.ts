import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db/database";
import { clients, users } from "@/lib/db/schema";
import { USER_ROLES } from "@/lib/core/vocabulary";
import { AppError } from "@/lib/core/errors";
import { parseInput } from "@/lib/core/validation";
import { authFor } from "./auth";
import { NewPassword } from "./password-policy";

export const UserInput = z
  .object({
    email: z.string().trim().toLowerCase().email("must be an email address"),
    name: z.string().trim().min(1, "must not be empty").max(100).optional(),
    password: NewPassword,
    role: z.enum(USER_ROLES, { message: `must be one of ${USER_ROLES.join(", ")}` }),
    clientId: z.number().int().positive().nullable().default(null),
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

/** Deleting a user also ends their sessions (foreign keys cascade). */
export async function deleteUser(db: Db, id: string, actingUserId: string | null): Promise<void> {
  if (id === actingUserId) throw new AppError("bad_request", "id: you cannot delete yourself");
  const [row] = await db.delete(users).where(eq(users.id, id)).returning({ id: users.id });
  if (!row) throw new AppError("not_found", `User ${id} not found`);
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
