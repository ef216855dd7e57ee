/**
 * Next calls register() once per server start (never during `next build`). Background
 * work (demo / default client, in-process scheduler) only makes sense in the Node.js
 * runtime; the check reads process.env.NEXT_RUNTIME literally so Next can drop the
 * import from the edge bundle.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { assertRequiredSecrets, startServerBackground } = await import("@/lib/boot/start");
    try {
      assertRequiredSecrets();
    } catch (err) {
      // Refuse to serve with missing secrets rather than store keys in the clear.
      console.error(`[flowscope] cannot start: ${(err as Error).message}`);
      process.exit(1);
    }
    try {
      await startServerBackground();
    } catch (err) {
      // Keep serving: /api/v1/health then answers 503 with the reason (e.g. the
      // embedded database folder is held by another process) instead of no answer at all.
      console.error("[flowscope] background start failed", err);
    }
  }
}
