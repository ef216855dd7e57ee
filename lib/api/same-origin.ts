import { env } from "@/lib/core/env";
import { AppError } from "@/lib/core/errors";
import { requestOrigin } from "@/lib/accounts/origin";

/** Methods a browser may send across sites without asking (and that never change state here). */
const SAFE_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS"]);

/** The app's own origin: BETTER_AUTH_URL when set, else the one the browser addressed. */
export function appOrigin(request: Request): string {
  if (env.BETTER_AUTH_URL) return new URL(env.BETTER_AUTH_URL).origin;
  return requestOrigin(request) ?? new URL(request.url).origin;
}

/**
 * Refuses a state-changing request that rides on a session cookie but does not come from
 * the app's own pages. SameSite=Lax stops other sites only: a page on the same site
 * (another port, a sibling subdomain, HTML served by a client's n8n webhook) could
 * otherwise post a form with the admin's cookie. Browsers send Origin with every
 * non-GET request; Sec-Fetch-Site covers the few that strip it. Bearer calls carry no
 * ambient credentials and are not checked.
 */
export function assertSameOrigin(request: Request): void {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return;
  const origin = request.headers.get("origin");
  if (origin !== null) {
    if (origin === appOrigin(request)) return;
    throw new AppError(
      "forbidden",
      `Cross-origin request refused: a signed-in write must come from this app's own pages (Origin ${origin.slice(0, 100)})`,
    );
  }
  if (request.headers.get("sec-fetch-site") === "same-origin") return;
  throw new AppError(
    "forbidden",
    "Cross-origin request refused: a signed-in write must carry this app's Origin header (or use a Bearer token)",
  );
}
