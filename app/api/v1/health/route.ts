import { getDatabase } from "@/lib/db/database";
import { logError } from "@/lib/core/log";
import { getHealth } from "@/lib/metrics/status/health";
import { resolveViewer } from "@/lib/accounts/viewer";
import { canAccess } from "@/lib/accounts/access";
import { bindContract } from "@/lib/api/handler";
import { systemHealth } from "@/lib/api/contracts/system";

const NO_STORE = { "Cache-Control": "no-store" };

/**
 * GET /api/v1/health: 200 with ok/degraded, or 503 when the database cannot be opened or
 * queried (a monitor should see "down", not a generic 500). Reading the request's
 * headers makes it dynamic: answered per request, never prerendered. Public, so it does
 * not use apiRoute (which needs the database before it answers); bindContract ties it
 * to its contract all the same. A signed-out monitor learns the status only: the
 * driver, the schedule and the clients describe the installation to whoever asks. Signed-in users see the detail, and the per-client part
 * (which names clients) only if the one access rule lets them read every client.
 */
export const GET = bindContract(systemHealth, async function GET(request: Request) {
  try {
    const handle = await getDatabase();
    const health = await getHealth(handle.db, { driver: handle.driver });
    const viewer = await resolveViewer(handle.db, request.headers).catch(() => null);
    if (!viewer) return Response.json({ status: health.status }, { headers: NO_STORE });
    return Response.json(canAccess(viewer, "operator") ? health : { ...health, clients: [] }, { headers: NO_STORE });
  } catch (err) {
    // The reason (e.g. "folder in use by process N") goes to the log: who asks is unknown
    // without a database, so the answer tells nothing but the status.
    logError("[health] database unavailable", err);
    return Response.json({ status: "down" }, { status: 503, headers: NO_STORE });
  }
});
