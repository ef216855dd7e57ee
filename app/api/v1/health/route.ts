import { connection } from "next/server";
import { getDatabase } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { getHealth } from "@/lib/status/health";

const NO_STORE = { "Cache-Control": "no-store" };

/**
 * GET /api/v1/health: 200 with ok/degraded, or 503 when the database cannot be opened or
 * queried (a monitor should see "down", not a generic 500).
 */
export async function GET() {
  await connection(); // Always answered per request, never prerendered or cached.
  try {
    const handle = await getDatabase();
    return Response.json(await getHealth(handle.db, { driver: handle.driver }), { headers: NO_STORE });
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
