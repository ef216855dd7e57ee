import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    // Each file opens its own database (in-memory PGlite, or a fresh Postgres database).
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { FLOWSCOPE_SCHEDULER: "off", NODE_ENV: "test" },
  },
});
