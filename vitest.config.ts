import { availableParallelism } from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["test/**/*.test.ts"],
    // Migrates once; each test file's database is a copy (test/helpers/db.ts).
    globalSetup: ["test/global-setup.ts"],
    // Vitest leaves a core free by default: one worker on a 2-core machine. The suite
    // waits on child processes, sockets and timers as much as it computes, so two
    // workers finish sooner even there.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Worker threads, not forked processes: a file's worker starts in a fraction of the
    // time and CPU of a fresh Node process, which over forty files was a third of the CPU
    // the whole suite used (forks: 347 CPU-seconds, 193 s on two cores; threads: 250, 134 s).
    // Nothing here needs a process of its own: process.env is copied per worker thread, and
    // the CLI tests start their own child processes.
    pool: "threads",
    environment: "node",
    // Each file opens its own database (in-memory PGlite, or a fresh Postgres database).
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { FLOWSCOPE_SCHEDULER: "off", NODE_ENV: "test" },
  },
});
