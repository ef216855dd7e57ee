import path from "node:path";
import { defineConfig, devices } from "@playwright/test";
import { ADMIN_STATE } from "./e2e/pages/sign-in";

const PORT = 3100;
const BASE_URL = `http://127.0.0.1:${PORT}`;

// A fresh embedded database per run. Fixed here, in the runner process, so the workers
// that re-read this file inherit the same folder instead of inventing their own.
process.env.E2E_DATA_DIR ??= path.join(".data", `e2e-${Date.now()}`);

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  // One server owns one PGlite folder; the specs share it, so run them one at a time.
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: process.env.CI ? 1 : 0,
  timeout: 90_000,
  reporter: process.env.CI ? [["list"], ["html", { open: "never" }]] : "list",
  use: {
    baseURL: BASE_URL,
    screenshot: "on",
    trace: "retain-on-failure",
    ...devices["Desktop Chrome"],
    launchOptions: {
      // Debian's chromium: `npx playwright install` cannot download browsers here.
      executablePath: "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    { name: "setup", testMatch: /.*\.setup\.ts/ },
    // Specs run signed in as the demo admin; auth.spec.ts starts from an empty state.
    { name: "app", dependencies: ["setup"], use: { storageState: ADMIN_STATE } },
  ],
  webServer: {
    // `npm run build` runs beforehand (CI). `env -u` drops inherited settings that would
    // switch to Inngest (no dev server here) or to a shared Postgres database.
    command: `env -u INNGEST_DEV -u INNGEST_EVENT_KEY -u INNGEST_SIGNING_KEY -u DATABASE_URL npx next start -p ${PORT}`,
    url: `${BASE_URL}/api/v1/health`,
    env: {
      FLOWSCOPE_DEMO: "1",
      FLOWSCOPE_SCHEDULER: "auto",
      DATA_DIR: process.env.E2E_DATA_DIR,
      NEXT_TELEMETRY_DISABLED: "1",
      // The suite signs in a handful of times from one address.
      AUTH_SIGNIN_MAX_PER_MINUTE: "100",
    },
    timeout: 120_000,
    reuseExistingServer: false,
    // SIGTERM to the process group, so next's real server (not just npx) exits and
    // releases the port and the PGlite folder.
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    stdout: "pipe",
    stderr: "pipe",
  },
});
