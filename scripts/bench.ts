/**
 * `npm run bench`: sync N generated executions from the fake n8n into a fresh database and
 * compare with a baseline measured in the same run: the pure download of all pages plus
 * the same rows written by one COPY. Runs a smaller size first, so peak memory can be
 * compared across sizes (it should stay flat: pages are streamed, not collected).
 *
 * BENCH_EXECUTIONS (default 200000) sets the large size. DATABASE_URL benchmarks a fresh
 * database on that PostgreSQL server; otherwise PGlite in a temporary folder.
 *
 * Then the query benchmark (scripts/bench/queries.ts). `--only sync` or `--only queries`
 * runs one of the two.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { count, eq } from "drizzle-orm";
import { openDatabase, type DatabaseHandle } from "@/lib/db/client";
import { executions } from "@/lib/db/schema";
import { createClient } from "@/lib/clients";
import { syncClient } from "@/lib/collect";
import { N8nClient } from "@/lib/n8n";
import { createTestDatabase } from "@/test/helpers/db";
import { copyExecutionsBaseline } from "./bench/copy-baseline";

const large = Number(process.env.BENCH_EXECUTIONS ?? 200_000);
const sizes = [Math.round(large / 4), large];

async function startFakeServer(executionCount: number): Promise<{ url: string; listed: number; child: ChildProcess }> {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/bench/serve-fake-n8n.ts"], {
    env: { ...process.env, BENCH_EXECUTIONS: String(executionCount) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`fake n8n exited with ${code}`)));
  });
  return { ...JSON.parse(line), child };
}

async function freshDatabase(): Promise<DatabaseHandle & { label: string }> {
  if (process.env.DATABASE_URL) return { ...(await createTestDatabase()), label: "PostgreSQL" };
  const dir = mkdtempSync(path.join(tmpdir(), "flowscope-bench-"));
  const handle = await openDatabase({ kind: "pglite", dataDir: dir });
  return {
    ...handle,
    label: "PGlite (on disk)",
    close: async () => {
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Peak RSS while `work` runs, sampled every 50 ms. */
async function withPeakRss<T>(work: () => Promise<T>): Promise<{ result: T; peakMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  try {
    const result = await work();
    return { result, peakMb: Math.round(Math.max(peak, process.memoryUsage().rss) / 1048576) };
  } finally {
    clearInterval(timer);
  }
}

async function downloadAll(url: string): Promise<{ ms: number; rows: number }> {
  const n8n = new N8nClient({ baseUrl: url, apiKey: "bench-key" });
  const started = performance.now();
  let rows = 0;
  for await (const page of n8n.executionPages({ limit: 250 })) rows += page.executions.length;
  return { ms: performance.now() - started, rows };
}

async function benchOnce(size: number) {
  const fake = await startFakeServer(size);
  const handle = await freshDatabase();
  try {
    console.error(`  download baseline…`);
    const download = await downloadAll(fake.url);
    const client = await createClient(handle.db, { name: `Bench ${size}`, n8nBaseUrl: fake.url, n8nApiKey: "bench-key" });
    console.error(`  sync…`);
    const syncStarted = performance.now();
    const { result: run, peakMb } = await withPeakRss(() =>
      syncClient(handle.db, { clientId: client.id, trigger: "cli" }),
    );
    const syncMs = performance.now() - syncStarted;
    const [stored] = await handle.db.select({ n: count() }).from(executions).where(eq(executions.clientId, client.id));
    if (stored.n !== fake.listed) throw new Error(`stored ${stored.n} executions, the fake n8n lists ${fake.listed}`);
    console.error(`  COPY baseline…`);
    const copyMs = await copyExecutionsBaseline(handle);
    const baselineMs = download.ms + copyMs;
    const rollupMs = run.phaseMs.rollup ?? 0;
    return {
      database: handle.label,
      executions: stored.n,
      "sync s": +(syncMs / 1000).toFixed(1),
      "exec/s": Math.round(stored.n / (syncMs / 1000)),
      "download s": +(download.ms / 1000).toFixed(1),
      "COPY s": +(copyMs / 1000).toFixed(1),
      "ratio (sync / baseline)": +(syncMs / baselineMs).toFixed(2),
      "ratio without rollup": +((syncMs - rollupMs) / baselineMs).toFixed(2),
      "phases ms": JSON.stringify(run.phaseMs),
      "peak RSS MB": peakMb,
    };
  } finally {
    await handle.close();
    fake.child.kill("SIGTERM");
  }
}

const onlyAt = process.argv.indexOf("--only");
const only = onlyAt === -1 ? undefined : process.argv[onlyAt + 1];
if (only !== undefined && only !== "sync" && only !== "queries") {
  console.error(`--only: expected sync or queries, got ${only ?? "nothing"}`);
  process.exit(2);
}

if (only !== "queries") {
  const results = [];
  for (const size of sizes) {
    console.error(`${size} executions:`);
    results.push(await benchOnce(size));
  }
  console.table(results);
}
if (only !== "sync") {
  const { runQueryBenchmark } = await import("./bench/queries");
  await runQueryBenchmark();
}
process.exit(0);
