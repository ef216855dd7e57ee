import { NextResponse, type NextRequest } from "next/server";
import { getSessionCookie } from "better-auth/cookies";
import { AUTH_COOKIE_PREFIX } from "@/lib/accounts/cookie";
import { REQUEST_PATH_HEADER, signInPath } from "@/lib/accounts/next-path";
import { requestProtocol } from "@/lib/accounts/origin";
import { env } from "@/lib/core/env";

/**
 * Two jobs, on every page request (sign-in included):
 *
 * 1. The Content-Security-Policy, with a fresh nonce per request. Next reads the nonce
 *    from the request's CSP header while rendering and puts it on its own scripts and
 *    styles; that only works because every page renders per request (they all read the
 *    session). The other security headers, and the API's own CSP, are in next.config.ts.
 *
 * 2. An optimistic check only: a page request without any session cookie is sent to
 *    sign-in with a real 307, before rendering starts (pages stream, and a redirect thrown
 *    while streaming would answer 200 first). Whether the cookie is valid, and what it may
 *    see, is decided by the one guard (lib/accounts/page-guard.ts) on every page.
 */
export function proxy(request: NextRequest) {
  const asked = request.nextUrl.pathname + request.nextUrl.search;
  if (needsSession(request.nextUrl.pathname) && !getSessionCookie(request, { cookiePrefix: AUTH_COOKIE_PREFIX })) {
    // Back to the page asked for once signed in.
    return NextResponse.redirect(new URL(signInPath(asked), request.url));
  }

  const nonce = newNonce();
  const https = servedOverHttps(request);
  const csp = contentSecurityPolicy(nonce, https);

  const requestHeaders = new Headers(request.headers);
  // Next takes the nonce from here; x-nonce is for a server component that needs it
  // (a <Script nonce={…}>).
  requestHeaders.set("content-security-policy", csp);
  requestHeaders.set("x-nonce", nonce);
  // For the page guard, which sends an expired session to sign-in and back here.
  requestHeaders.set(REQUEST_PATH_HEADER, asked);

  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", csp);
  // next.config.ts sends HSTS too, but its headers() is frozen at build time: this
  // answers for the BETTER_AUTH_URL the server actually runs with.
  if (https) response.headers.set("strict-transport-security", HSTS);
  return response;
}

const HSTS = "max-age=63072000; includeSubDomains";

/**
 * The same pages the matcher used to let through before the CSP needed the proxy on
 * sign-in too: sign-in stays open, and Next's own /_next/ endpoints (not pages) are
 * never redirected.
 */
function needsSession(pathname: string): boolean {
  return !pathname.startsWith("/sign-in") && !pathname.startsWith("/_next/");
}

/**
 * 128 random bits. Web Crypto rather than Buffer, so it holds in either runtime; the
 * alphabet of base64 is what a CSP nonce-source allows.
 */
function newNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}

/**
 * HTTPS as the browser sees it: `next start` speaks plain HTTP, so HTTPS means a
 * TLS-terminating proxy in front (it says so in x-forwarded-proto, first hop first) or
 * a configured https:// public URL. On plain http://localhost neither holds, and
 * neither HSTS nor upgrade-insecure-requests is sent.
 */
function servedOverHttps(request: NextRequest): boolean {
  if (env.BETTER_AUTH_URL?.startsWith("https://")) return true;
  return requestProtocol(request) === "https";
}

function contentSecurityPolicy(nonce: string, https: boolean): string {
  const dev = env.NODE_ENV === "development";
  return [
    "default-src 'self'",
    // 'strict-dynamic': the nonced framework scripts may load the page's chunks; 'self'
    // is only the fallback for browsers without CSP 3. React needs eval in development
    // only (server error stacks rebuilt in the browser).
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // Production CSS is Tailwind's stylesheet from /_next/static plus Next's nonced
    // inline styles. No server-rendered style="" attribute exists in the app, so
    // style-src-attr needs no 'unsafe-inline' (style props that React and Chart.js set
    // through the DOM are not subject to it). The dev overlay injects unnonced styles;
    // a nonce would disable 'unsafe-inline', so development gets one or the other.
    `style-src 'self' ${dev ? "'unsafe-inline'" : `'nonce-${nonce}'`}`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    // Over plain http it would send the page's requests to an https:// that is not there.
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

export const config = {
  matcher: [
    {
      // Every page, sign-in included; not the API (it answers 401 itself and gets its
      // CSP from next.config.ts), static files, image optimisation or the icons.
      // Prefetches are skipped, as Next documents: they render no HTML that runs scripts,
      // and the page guard still decides what they may see.
      source: "/((?!api/|_next/static|_next/image|favicon.ico|icon.svg).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
