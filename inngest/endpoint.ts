import { env } from "@/lib/core/env";

export interface InngestSettings {
  dev: boolean;
  eventKey: boolean;
  signingKey: boolean;
  production: boolean;
}

const fromEnv = (): InngestSettings => ({
  dev: Boolean(env.INNGEST_DEV),
  eventKey: Boolean(env.INNGEST_EVENT_KEY),
  signingKey: Boolean(env.INNGEST_SIGNING_KEY),
  production: env.NODE_ENV === "production",
});

const refuse = (status: 401 | 404, code: string, message: string) =>
  Response.json({ error: { code, message } }, { status, headers: { "cache-control": "no-store" } });

/**
 * Why /api/inngest refuses a call before the SDK sees it, or null to let the SDK answer.
 * Without any Inngest setting the endpoint does not exist here (the in-process scheduler
 * runs the jobs); in production without a signing key no call can be verified, which the
 * SDK would answer with a 500.
 */
export function inngestEndpointRefusal(settings: InngestSettings = fromEnv()): Response | null {
  if (!settings.dev && !settings.eventKey && !settings.signingKey) {
    return refuse(404, "not_found", "Inngest is not configured on this server");
  }
  if (settings.production && !settings.dev && !settings.signingKey) {
    return refuse(
      401,
      "unauthorized",
      "Calls to /api/inngest must be signed, and INNGEST_SIGNING_KEY is not set on this server",
    );
  }
  return null;
}
