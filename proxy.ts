import { NextResponse, type NextRequest } from "next/server";
import { getSessionCookie } from "better-auth/cookies";
import { AUTH_COOKIE_PREFIX } from "@/lib/auth/cookie";

/**
 * An optimistic check only: a page request without any session cookie is sent to
 * sign-in with a real 307, before rendering starts (pages stream, and a redirect thrown
 * while streaming would answer 200 first). Whether the cookie is valid, and what it may
 * see, is decided by the one guard (lib/auth/page-guard.ts) on every page.
 */
export function proxy(request: NextRequest) {
  if (getSessionCookie(request, { cookiePrefix: AUTH_COOKIE_PREFIX })) return NextResponse.next();
  return NextResponse.redirect(new URL("/sign-in", request.url));
}

export const config = {
  // Pages only: the API answers 401 itself, and sign-in and static files stay open.
  matcher: ["/((?!api/|_next/|sign-in|favicon.ico).*)"],
};
