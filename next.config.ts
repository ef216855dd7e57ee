import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // PGlite ships WASM and a data-dir loader that must not be bundled.
  serverExternalPackages: ["@electric-sql/pglite"],
  typedRoutes: false,
};

export default nextConfig;
