/**
 * Next calls register() once per server start (never during `next build`). Background
 * work (demo / default client, in-process scheduler) only makes sense in the Node.js
 * runtime; the check reads process.env.NEXT_RUNTIME literally so Next can drop the
 * import from the edge bundle.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    // First, before Next routes any request: the sign-in limits count connections by
    // the address this hook records (lib/accounts/peer-address.ts).
    const { installPeerAddressHook } = await import("@/lib/accounts/peer-address");
    installPeerAddressHook();
    // Next logs a page's failed render with the whole error: never a query's parameters.
    const { redactQueryErrorsInConsole } = await import("@/lib/core/log");
    redactQueryErrorsInConsole();
    const { assertRequiredSecrets, startServerBackground } = await import("@/lib/jobs/boot/start");
    const { adminPasswordProblem, secureCookieNotice } = await import("@/lib/accounts/auth");
    try {
      assertRequiredSecrets();
      const problem = adminPasswordProblem();
      if (problem) throw new Error(`ADMIN_PASSWORD ${problem} (choose another, or unset it once the admin exists)`);
    } catch (err) {
      // Refuse to serve with missing secrets rather than store keys in the clear, and with
      // a weak first-admin password rather than leave the rest of the start half done.
      console.error(`[flowscope] cannot start: ${(err as Error).message}`);
      process.exit(1);
    }
    // Jobs started by requests go to Inngest when it is configured (lib/jobs/dispatch.ts).
    const { inngestConfigured } = await import("@/lib/core/env");
    if (inngestConfigured) {
      const [{ registerJobSender }, { inngestJobSender }] = await Promise.all([
        import("@/lib/jobs/dispatch"),
        import("@/inngest/sender"),
      ]);
      registerJobSender(inngestJobSender);
    } else {
      // Without Inngest, syncs and the scheduler evaluate alerts in this process.
      const { registerInProcessAlerts } = await import("@/lib/alerts/jobs");
      registerInProcessAlerts();
    }
    const notice = secureCookieNotice();
    if (notice) console.warn(notice);
    try {
      await startServerBackground();
    } catch (err) {
      // Keep serving: /api/v1/health then answers 503 with the reason (e.g. the
      // embedded database folder is held by another process) instead of no answer at all.
      console.error("[flowscope] background start failed", err);
    }
  }
}
