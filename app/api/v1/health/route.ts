import { getDatabase } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { getHealth } from "@/lib/status/health";
import { resolveViewer } from "@/lib/auth/viewer";
import { canAccess } from "@/lib/auth/access";

const NO_STORE = { "Cache-Control": "no-store" };

/**
 * GET /api/v1/health: 200 with ok/degraded, or 503 when the database cannot be opened or
 * queried (a monitor should see "down", not a generic 500). Reading the request's
 * headers makes it dynamic: answered per request, never prerendered. Public, so it does not use
 * apiRoute (which needs the database before it answers); the per-client detail, which
 * names clients, is shown only to viewers the one access rule lets read every client.
 */
export async function GET(request: Request) {
  try {
    const handle = await getDatabase();
    const health = await getHealth(handle.db, { driver: handle.driver });
    const viewer = await resolveViewer(handle.db, request.headers).catch(() => null);
    return Response.json(canAccess(viewer, "operator") ? health : { ...health, clients: [] }, { headers: NO_STORE });
  } catch (err) {
    // AppError messages are written for callers (e.g. "folder in use by process N");
    // anything else may carry driver internals, so it is logged and summarised.
    console.error("[health] database unavailable", err);
    const message =
      err instanceof AppError ? err.message : "The database is unavailable; see the server log.";
    return Response.json(
      { status: "down", database: { ok: false, message }, scheduler: null, clients: [] },
      { status: 503, headers: NO_STORE },
    );
  }
}
