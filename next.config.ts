import type { NextConfig } from "next";
import { env } from "@/lib/core/env";

type Header = { key: string; value: string };

const HSTS: Header = { key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" };

/** Every answer, pages and API alike. Pages get their nonce CSP from proxy.ts. */
const EVERY_RESPONSE: Header[] = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  // Not no-referrer: with it, browsers send `Origin: null` on same-origin POSTs, and
  // better-auth's CSRF check refuses the sign-in. This keeps full URLs on our own origin
  // and gives other sites (an n8n link) the origin only, never over a downgrade.
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  // For browsers without CSP frame-ancestors.
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
];

const nextConfig: NextConfig = {
  // PGlite ships WASM and a data-dir loader that must not be bundled.
  serverExternalPackages: ["@electric-sql/pglite"],
  typedRoutes: false,
  poweredByHeader: false,

  // Evaluated by `next build` into routes-manifest.json, not per server start: what
  // depends on the running environment is decided again per request in proxy.ts.
  async headers() {
    return [
      { source: "/:path*", headers: EVERY_RESPONSE },
      // JSON and CSV: nothing in them should ever load or run, nor be framed.
      {
        source: "/api/:path*",
        headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" }],
      },
      // HTTPS reaches `next start` only through a TLS-terminating proxy, which says so
      // (first hop first); this is matched per request. Never over plain http://localhost.
      {
        source: "/:path*",
        has: [{ type: "header", key: "x-forwarded-proto", value: "(?:https|HTTPS)(?:\\s*,.*)?" }],
        headers: [HSTS],
      },
      // A public https:// URL known at build time: every answer, proxy header or not.
      ...(env.BETTER_AUTH_URL?.startsWith("https://") ? [{ source: "/:path*", headers: [HSTS] }] : []),
    ];
  },
};

export default nextConfig;
