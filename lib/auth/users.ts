import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { clients, USER_ROLES, users, type UserRole } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";
import { authFor } from "./auth";

export const UserInput = z
  .object({
    email: z.string().trim().toLowerCase().email("must be an email address"),
    name: z.string().trim().min(1, "must not be empty").max(100).optional(),
    password: z.string().min(8, "must be at least 8 characters").max(128),
    role: z.enum(USER_ROLES, { message: `must be one of ${USER_ROLES.join(", ")}` }),
    clientId: z.number().int().positive().nullable().default(null),
  })
  .superRefine((u, ctx) => {
    if (u.role === "client" && u.clientId === null) {
      ctx.addIssue({ code: "custom", path: ["clientId"], message: "is required for a client user" });
    }
    if (u.role !== "client" && u.clientId !== null) {
      ctx.addIssue({ code: "custom", path: ["clientId"], message: "must be empty for operators and admins (they see every client)" });
    }
  });

export interface PublicUser {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  clientId: number | null;
  clientName: string | null;
  createdAt: string;
}

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
  const user = await ctx.internalAdapter.createUser({
    email: data.email,
    name: data.name ?? data.email.split("@")[0],
    emailVerified: true,
    role: data.role,
    clientId: data.clientId,
  }, { method: "admin" });
  await ctx.internalAdapter.linkAccount({
    userId: user.id,
    providerId: "credential",
    accountId: user.id,
    password: await ctx.password.hash(data.password),
  });
  const [created] = (await listUsers(db)).filter((u) => u.id === user.id);
  return created;
}

export async function listUsers(db: Db): Promise<PublicUser[]> {
  const rows = await db
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
    .leftJoin(clients, eq(clients.id, users.clientId))
    .orderBy(asc(users.email));
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}

/** Deleting a user also ends their sessions (foreign keys cascade). */
export async function deleteUser(db: Db, id: string, actingUserId: string | null): Promise<void> {
  if (id === actingUserId) throw new AppError("bad_request", "id: you cannot delete yourself");
  const [row] = await db.delete(users).where(eq(users.id, id)).returning({ id: users.id });
  if (!row) throw new AppError("not_found", `User ${id} not found`);
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
