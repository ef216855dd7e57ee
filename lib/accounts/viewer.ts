import type { Db } from "@/lib/db/database";
import type { UserRole } from "@/lib/core/vocabulary";
import { AppError } from "@/lib/core/errors";
import { authFor } from "./auth";
import { verifyApiToken } from "./tokens";

/**
 * Who is asking: a signed-in user (session cookie) or a machine (Bearer API token).
 * Everything that decides what a request may see starts from this.
 */
export interface Viewer {
  via: "session" | "token";
  role: UserRole;
  /** The only client a `client` viewer may read; null for operators and admins. */
  clientId: number | null;
  userId: string | null;
  email: string | null;
  name: string;
  tokenId: number | null;
}

/**
 * Resolves a request's credentials. A Bearer header is decisive: a wrong or revoked
 * token is a 401 even if a session cookie rides along, so a script never silently runs
 * with someone's browser session.
 */
export async function resolveViewer(db: Db, headers: Headers): Promise<Viewer | null> {
  const authorization = headers.get("authorization");
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match) throw new AppError("unauthorized", 'Authorization must be "Bearer <token>"');
    const token = await verifyApiToken(db, match[1]);
    if (!token) throw new AppError("unauthorized", "The API token is invalid or revoked");
    return {
      via: "token",
      // A global token reads like an operator; a scoped one like that client's user.
      role: token.clientId === null ? "operator" : "client",
      clientId: token.clientId,
      userId: null,
      email: null,
      name: token.name,
      tokenId: token.id,
    };
  }
  const session = await authFor(db).api.getSession({ headers });
  if (!session) return null;
  const user = session.user as typeof session.user & { role: UserRole; clientId: number | null };
  return {
    via: "session",
    role: user.role,
    clientId: user.clientId ?? null,
    userId: user.id,
    email: user.email,
    name: user.name,
    tokenId: null,
  };
}
