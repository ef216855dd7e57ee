/**
 * The HTTP phase of the query benchmark: `next start` on the benchmark's database, then
 * `connections` concurrent clients for `seconds` on one endpoint at a time, with a global
 * API token, through autocannon. Latencies are kept per response so p95 is exact
 * (autocannon's own summary has p90 and p97.5, not p95).
 *
 * Needs a production build (`npm run build`); without one the phase says so and is skipped.
 * The server runs with the scheduler off, so no sync changes the data (and the cache's data
 * version) while it is measured.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import autocannon from "autocannon";
import { generateEncryptionKey } from "@/lib/core/secrets/encryption";
import { quantile } from "./quantile";

export interface HttpLoadCase {
  name: string;
  path: string;
}

export interface HttpLoadRow {
  endpoint: string;
  "requests/s": number;
  "p50 ms": number;
  "p95 ms": number;
  "p99 ms": number;
  requests: number;
  errors: number;
  "non-2xx": number;
  /** The goal under load: p95 under 150 ms with no errors. */
  "goal p95<150ms, 0 errors": string;
}

const log = (m: string) => console.error(m);

async function waitForHealth(base: string, server: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`next start exited with code ${server.exitCode}`);
    try {
      const res = await fetch(`${base}/api/v1/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`next start did not answer /api/v1/health within ${timeoutMs / 1000} s`);
}

function stop(server: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (server.exitCode !== null) return resolve();
    server.once("exit", () => resolve());
    server.kill("SIGTERM");
    setTimeout(() => server.kill("SIGKILL"), 10_000).unref();
  });
}

async function load(url: string, token: string, connections: number, seconds: number) {
  const latencies: number[] = [];
  // The callback form returns the instance, whose "response" events carry each latency.
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        duration: seconds,
        headers: { authorization: `Bearer ${token}`, accept: "application/json" },
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    instance.on("response", (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  latencies.sort((a, b) => a - b);
  return { result, latencies };
}

/** Runs each case against a fresh `next start` on `databaseUrl`; null when there is no build. */
export async function runHttpLoad(opts: {
  databaseUrl: string;
  token: string;
  cases: HttpLoadCase[];
  connections?: number;
  seconds?: number;
  port?: number;
}): Promise<HttpLoadRow[] | null> {
  if (!existsSync(path.join(process.cwd(), ".next", "BUILD_ID"))) {
    log("HTTP phase skipped: no production build (run `npm run build` first).");
    return null;
  }
  const connections = opts.connections ?? 50;
  const seconds = opts.seconds ?? 60;
  const port = opts.port ?? 3190;
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(
    process.execPath,
    [path.join("node_modules", "next", "dist", "bin", "next"), "start", "-p", String(port)],
    {
      env: {
        ...process.env,
        NODE_ENV: "production",
        DATABASE_URL: opts.databaseUrl,
        FLOWSCOPE_SCHEDULER: "off",
        FLOWSCOPE_ENCRYPTION_KEY: process.env.FLOWSCOPE_ENCRYPTION_KEY ?? generateEncryptionKey(),
        BETTER_AUTH_SECRET: process.env.BETTER_AUTH_SECRET ?? generateEncryptionKey(),
        NEXT_TELEMETRY_DISABLED: "1",
        INNGEST_DEV: "",
        INNGEST_EVENT_KEY: "",
      },
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let stderr = "";
  server.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  try {
    await waitForHealth(base, server, 120_000);
    const rows: HttpLoadRow[] = [];
    for (const c of opts.cases) {
      log(`  HTTP ${c.name}: ${connections} connections for ${seconds} s…`);
      // A short warm-up, so the first compile of each route and the cold cache are not measured.
      await load(`${base}${c.path}`, opts.token, 2, 2);
      const { result, latencies } = await load(`${base}${c.path}`, opts.token, connections, seconds);
      rows.push({
        endpoint: c.name,
        "requests/s": +(result.requests.total / seconds).toFixed(1),
        "p50 ms": +quantile(latencies, 0.5).toFixed(1),
        "p95 ms": +quantile(latencies, 0.95).toFixed(1),
        "p99 ms": +quantile(latencies, 0.99).toFixed(1),
        requests: result.requests.total,
        errors: result.errors + result.timeouts,
        "non-2xx": result.non2xx,
        "goal p95<150ms, 0 errors":
          quantile(latencies, 0.95) < 150 && result.errors + result.timeouts + result.non2xx === 0 ? "met" : "missed",
      });
    }
    return rows;
  } catch (err) {
    log(`HTTP phase failed: ${(err as Error).message}\n${stderr}`);
    throw err;
  } finally {
    await stop(server);
  }
}
