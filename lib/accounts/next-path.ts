/**
 * Where to send a visitor after sign-in: back to the page they asked for. The path rides
 * along as `/sign-in?next=…`, so it is checked before use: only a path on this server,
 * never another host (`//evil.example`, `/\evil.example`), the API or sign-in itself.
 */

/** The header the proxy sets on page requests: the path and query asked for (proxy.ts). */
export const REQUEST_PATH_HEADER = "x-flowscope-path";

const BASE = "http://flowscope.invalid";

/** `raw` as a same-server path with its query, or null when it is not one to go back to. */
export function safeNextPath(raw: string | null | undefined): string | null {
  if (!raw || raw.length > 2048) return null;
  if (!raw.startsWith("/") || raw.startsWith("//") || raw.startsWith("/\\")) return null;
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (/[\u0000-\u001f\u007f]/.test(raw)) return null;
  let url: URL;
  try {
    url = new URL(raw, BASE);
  } catch {
    return null;
  }
  // As a browser would resolve it: still this server, and a page. Dot segments resolve
  // only now ("/.//evil.example" becomes "//evil.example"), so the result is checked again.
  if (url.origin !== BASE) return null;
  if (url.pathname.startsWith("//") || url.pathname.startsWith("/\\")) return null;
  if (url.pathname === "/sign-in" || url.pathname.startsWith("/sign-in/") || url.pathname.startsWith("/api/")) {
    return null;
  }
  return url.pathname + url.search;
}

/** The sign-in page, asked to return to `next` afterwards when that is a page to return to. */
export function signInPath(next: string | null | undefined): string {
  const path = safeNextPath(next);
  return path && path !== "/" ? `/sign-in?next=${encodeURIComponent(path)}` : "/sign-in";
}
