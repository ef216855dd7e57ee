/**
 * The scheme the browser used: the first hop of x-forwarded-proto when a proxy in front
 * reports one, else the request URL's. `next start` itself speaks plain http.
 */
export function requestProtocol(request: Request): string {
  const forwarded = request.headers.get("x-forwarded-proto")?.split(",")[0].trim().toLowerCase();
  return forwarded || new URL(request.url).protocol.replace(":", "");
}

/**
 * The origin the browser addressed: its Host header and requestProtocol. Next hands
 * route handlers a URL normalised to "localhost", so the URL alone would refuse a
 * browser on 127.0.0.1. Null without a Host header.
 */
export function requestOrigin(request: Request): string | null {
  const host = request.headers.get("host");
  return host ? `${requestProtocol(request)}://${host}` : null;
}

/**
 * The app's public origin, for links the app hands out (a password reset link):
 * BETTER_AUTH_URL when set, else the origin the browser addressed.
 */
export function appOrigin(request: Request, publicUrl: string | undefined): string {
  if (publicUrl) return new URL(publicUrl).origin;
  return requestOrigin(request) ?? new URL(request.url).origin;
}
