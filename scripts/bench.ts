/**
 * `npm run bench`: sync N generated executions from the fake n8n into a fresh database and
 * compare with a baseline measured in the same run against the same fake n8n: the least
 * any collector must do for the same data, namely list every page, fetch each execution of
 * an AI workflow once with its run data (same pool size as the sync), and write the
 * executions and LLM usage rows by one COPY per table (scripts/bench/fetch-baseline.ts,
 * scripts/bench/copy-baseline.ts). Runs a smaller size first, so peak memory can be
 * compared across sizes (it should stay flat: pages are streamed, not collected).
 *
 * BENCH_EXECUTIONS (default 200000) sets the large size; the small one is a quarter of it.
 * DATABASE_URL benchmarks a fresh database on that PostgreSQL server; otherwise PGlite in
 * a temporary folder.
 *
 * Then the query benchmark (scripts/bench/queries.ts). `--only sync` or `--only queries`
 * runs one of the two.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { and, count, eq, ne } from "drizzle-orm";
import { openDatabase, type DatabaseHandle } from "@/lib/db/database";
import { executions, llmUsage } from "@/lib/db/schema";
import { createClient } from "@/lib/clients";
import { connectN8n } from "@/lib/clients/connection";
import { syncClient } from "@/lib/ingest/collect";
import { createTestDatabase } from "@/test/helpers/db";
import { copyBaseline } from "./bench/copy-baseline";
import { fetchWithData, listAll } from "./bench/fetch-baseline";
import { RequestTimeline } from "./bench/request-timeline";

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

const seconds = (ms: number) => +(ms / 1000).toFixed(1);

async function benchOnce(size: number) {
  const fake = await startFakeServer(size);
  const handle = await freshDatabase();
  try {
    console.error(`  baseline: list all pages…`);
    const list = await listAll(fake.url);
    if (list.rows !== fake.listed) throw new Error(`listed ${list.rows} executions, the fake n8n has ${fake.listed}`);
    // Untimed: warms up the fake n8n's run-data path (each size starts a new server), so
    // the timed baseline is not charged with the JIT warm-up of a fresh server.
    await fetchWithData(fake.url, list.dataIds.slice(0, 500));
    console.error(`  baseline: fetch ${list.dataIds.length} executions with data (AI, failed)…`);
    const baselineRequests = new RequestTimeline();
    const data = await fetchWithData(fake.url, list.dataIds, baselineRequests.record);
    const client = await createClient(handle.db, {
      name: `Bench ${size}`,
      n8nBaseUrl: fake.url,
      n8nApiKey: "bench-key",
    });
    console.error(`  sync…`);
    const syncStarted = performance.now();
    // The production connection, plus a callback that notes the run-data requests' times.
    const syncRequests = new RequestTimeline();
    const { result: run, peakMb } = await withPeakRss(() =>
      syncClient(handle.db, {
        clientId: client.id,
        trigger: "cli",
        // All of it in one sync, as the baseline fetches all of it (the default spreads a backlog over syncs).
        llmFetchLimit: 1_000_000,
        errorFetchLimit: 1_000_000,
        connect: (c) => connectN8n(c, { onRequest: syncRequests.record }),
      }),
    );
    const syncMs = performance.now() - syncStarted;
    const [stored] = await handle.db.select({ n: count() }).from(executions).where(eq(executions.clientId, client.id));
    // n8n hides running executions from the list; the sync finds them by their ids.
    const [listable] = await handle.db
      .select({ n: count() })
      .from(executions)
      .where(and(eq(executions.clientId, client.id), ne(executions.status, "running")));
    if (listable.n !== fake.listed)
      throw new Error(`stored ${listable.n} listable executions, the fake n8n lists ${fake.listed}`);
    const [calls] = await handle.db.select({ n: count() }).from(llmUsage).where(eq(llmUsage.clientId, client.id));
    const { llm, errors } = run.details;
    // A failed AI execution is read twice (its error, then its usage); the baseline reads it once.
    const fetchedWithData = llm.executionsFetched + errors.executionsFetched;
    if (fetchedWithData < data.fetched || llm.fetchFailures + errors.fetchFailures > 0) {
      console.error(
        `  warning: the sync fetched ${fetchedWithData} executions with data (${llm.fetchFailures + errors.fetchFailures} failures), the baseline ${data.fetched}`,
      );
    }
    console.error(`  COPY baseline…`);
    const copyMs = await copyBaseline(handle);
    const baselineMs = list.ms + data.ms + copyMs;
    const phases = run.phaseMs;
    const rollupMs = phases.rollup ?? 0;
    return {
      database: handle.label,
      executions: stored.n,
      "fetched with data": fetchedWithData,
      "LLM calls": calls.n,
      "sync s": seconds(syncMs),
      "exec/s": Math.round(stored.n / (syncMs / 1000)),
      "list s": seconds(list.ms),
      "data fetch s": seconds(data.ms),
      "COPY s": seconds(copyMs),
      "baseline s": seconds(baselineMs),
      ratio: +(syncMs / baselineMs).toFixed(2),
      "ratio without rollup": +((syncMs - rollupMs) / baselineMs).toFixed(2),
      "phases s (fetch/probe/llm/errors/classify/store/rollup/other)": [
        phases.fetch ?? 0,
        phases.probe ?? 0,
        phases.llm ?? 0,
        phases.errors ?? 0,
        phases.classify ?? 0,
        phases.store ?? 0,
        rollupMs,
        phases.other ?? 0,
      ]
        .map((ms) => seconds(ms))
        .join(" / "),
      // Within the LLM step: wall time with at least one run-data request in flight, and
      // the mean time of one request in the sync and in the baseline.
      "data busy s": seconds(syncRequests.busyMs()),
      "request ms (sync / baseline)": `${syncRequests.meanMs().toFixed(1)} / ${baselineRequests.meanMs().toFixed(1)}`,
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
  // The same rows as markdown, for README's "## Benchmark".
  console.log(`| ${Object.keys(results[0]).join(" | ")} |`);
  for (const row of results)
    console.log(
      `| ${Object.values(row)
        .map((v) => (typeof v === "number" ? v.toLocaleString("en-US") : v))
        .join(" | ")} |`,
    );
}
if (only !== "sync") {
  const { runQueryBenchmark } = await import("./bench/queries");
  await runQueryBenchmark();
}
process.exit(0);
