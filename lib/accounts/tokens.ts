import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db/database";
import { apiTokens, clients, type ApiToken } from "@/lib/db/schema";
import { AppError } from "@/lib/core/errors";
import { parseInput } from "@/lib/core/validation";

const TOKEN_PREFIX = "fs_";

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export const ApiTokenInput = z.object({
  name: z.string().trim().min(1, "must not be empty").max(100),
  /** null or absent: a global token. */
  clientId: z.number().int().positive().nullable().default(null),
});

const IsoDateTime = z.string().meta({ format: "date-time" });

/** A token as lists show it: never the token itself nor its hash, only the first characters. */
export const PublicApiToken = z.object({
  id: z.number().int(),
  name: z.string(),
  prefix: z.string(),
  clientId: z.number().int().nullable(),
  clientName: z.string().nullable(),
  createdAt: IsoDateTime,
  lastUsedAt: IsoDateTime.nullable(),
  revokedAt: IsoDateTime.nullable(),
});
export type PublicApiToken = z.infer<typeof PublicApiToken>;

/** The answer to a token's creation: the only time the token is ever shown. */
export const CreatedApiToken = z.object({ token: z.string(), apiToken: PublicApiToken });
export type CreatedApiToken = z.infer<typeof CreatedApiToken>;

/**
 * Creates a token and returns it in plain text exactly once; only its SHA-256 is kept.
 * Tokens are 32 random bytes, so a fast hash is enough (no dictionary to guess from).
 */
export async function createApiToken(db: Db, input: unknown, createdBy: string | null): Promise<CreatedApiToken> {
  const data = parseInput(ApiTokenInput, input);
  if (data.clientId !== null) {
    const [client] = await db.select({ id: clients.id }).from(clients).where(eq(clients.id, data.clientId));
    if (!client) throw new AppError("bad_request", `clientId: client ${data.clientId} does not exist`);
  }
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const [row] = await db
    .insert(apiTokens)
    .values({
      name: data.name,
      clientId: data.clientId,
      tokenHash: hashToken(token),
      prefix: token.slice(0, 10),
      createdBy,
    })
    .returning({ id: apiTokens.id });
  const apiToken = await findApiToken(db, row.id);
  if (!apiToken) throw new AppError("internal", `API token ${row.id} vanished after creation`);
  return { token, apiToken };
}

/** Explicit columns, so the hash can never reach an answer by accident. */
function selectPublicTokens(db: Db) {
  return db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      prefix: apiTokens.prefix,
      clientId: apiTokens.clientId,
      clientName: clients.name,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
    })
    .from(apiTokens)
    .leftJoin(clients, eq(clients.id, apiTokens.clientId));
}

type PublicTokenRow = Omit<PublicApiToken, "createdAt" | "lastUsedAt" | "revokedAt"> & {
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

const toPublicToken = (r: PublicTokenRow): PublicApiToken => ({
  ...r,
  createdAt: r.createdAt.toISOString(),
  lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
  revokedAt: r.revokedAt?.toISOString() ?? null,
});

export async function listApiTokens(db: Db): Promise<PublicApiToken[]> {
  const rows = await selectPublicTokens(db).orderBy(desc(apiTokens.createdAt), desc(apiTokens.id));
  return rows.map(toPublicToken);
}

export async function findApiToken(db: Db, id: number): Promise<PublicApiToken | undefined> {
  const [row] = await selectPublicTokens(db).where(eq(apiTokens.id, id));
  return row && toPublicToken(row);
}

/** Idempotent: revoking a revoked token keeps its first revocation time. */
export async function revokeApiToken(db: Db, id: number): Promise<void> {
  const [row] = await db
    .update(apiTokens)
    .set({ revokedAt: sql`coalesce(${apiTokens.revokedAt}, now())` })
    .where(eq(apiTokens.id, id))
    .returning({ id: apiTokens.id });
  if (!row) throw new AppError("not_found", `API token ${id} not found`);
}

/** The token's row when it exists and is not revoked; records its use at most once a minute. */
export async function verifyApiToken(db: Db, token: string): Promise<ApiToken | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const hash = hashToken(token);
  const [row] = await db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, hash), isNull(apiTokens.revokedAt)));
  if (!row) return null;
  // A busy script sends many requests a minute; one write a minute records its use.
  if (row.lastUsedAt && Date.now() - row.lastUsedAt.getTime() < 60_000) return row;
  await db
    .update(apiTokens)
    .set({ lastUsedAt: sql`now()` })
    .where(
      and(
        eq(apiTokens.id, row.id),
        or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, sql`now() - interval '1 minute'`)),
      ),
    );
  return row;
}
