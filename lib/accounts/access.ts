import { AppError } from "@/lib/core/errors";
import type { Viewer } from "./viewer";

/**
 * What a route or page requires:
 * - `public`: anyone (health, the OpenAPI document, sign-in);
 * - `viewer`: anyone signed in or holding a token; client users and client tokens only
 *   for their own client;
 * - `operator`: operators and admins (and global tokens) — every client's data;
 * - `admin`: admins, signed in (tokens never administer);
 * - `ingest`: API tokens and admins; a client token only for its own client.
 * - `system`: admins signed in and global API tokens (not client tokens, not operators'
 *   sessions): writes Flowscope-wide operational data (system metrics).
 */
export const ACCESS_LEVELS = ["public", "viewer", "operator", "admin", "ingest", "system"] as const;
export type Access = (typeof ACCESS_LEVELS)[number];

/** The same message as a client that does not exist, so ids of other clients do not leak. */
export function clientNotFound(clientId: number): AppError {
  return new AppError("not_found", `Client ${clientId} not found`);
}

/**
 * The one authorization rule. Throws 401 for no credentials, 403 for a role that is too
 * low, and 404 for another client's data; returns the viewer when allowed.
 */
export function authorize(viewer: Viewer | null, access: Access, clientId?: number): Viewer | null {
  if (access === "public") return viewer;
  if (!viewer) throw new AppError("unauthorized", "Sign in or send an API token");
  switch (access) {
    case "admin":
      if (viewer.role !== "admin" || viewer.via !== "session") throw new AppError("forbidden", "Admins only");
      break;
    case "operator":
      if (viewer.role === "client") throw new AppError("forbidden", "Operators and admins only");
      break;
    case "ingest":
      if (viewer.via === "session" && viewer.role !== "admin") {
        throw new AppError("forbidden", "Ingest takes an API token (or an admin session)");
      }
      break;
    case "system":
      if (viewer.via === "session" ? viewer.role !== "admin" : viewer.clientId !== null) {
        throw new AppError("forbidden", "Takes a global API token (or an admin session)");
      }
      break;
    case "viewer":
      break;
  }
  if (clientId !== undefined && viewer.role === "client" && viewer.clientId !== clientId)
    throw clientNotFound(clientId);
  return viewer;
}

/** The client a request is about: the asked one, or a client viewer's own when none is asked. */
export function scopedClientId(viewer: Viewer, requested: number | undefined): number {
  if (requested !== undefined) return requested;
  if (viewer.clientId !== null) return viewer.clientId;
  throw new AppError("bad_request", "clientId: is required (a positive integer)");
}

/** The same rule as a yes/no, for pages and answers that show more to some viewers. */
export function canAccess(viewer: Viewer | null, access: Access, clientId?: number): boolean {
  try {
    authorize(viewer, access, clientId);
    return true;
  } catch {
    return false;
  }
}
