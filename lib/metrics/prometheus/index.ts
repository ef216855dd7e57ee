/**
 * GET /api/v1/prometheus: Flowscope's figures in the Prometheus text format, through
 * prom-client. What is read from the database goes into a fresh registry per scrape
 * (counters are set from stored totals, so they survive restarts); the process's own
 * metrics (CPU, memory, event-loop lag, GC) come from one long-lived registry per process.
 * Every Flowscope series is prefixed `flowscope_`; per-client series carry the client's
 * slug as `client`.
 */
import { collectDefaultMetrics, Counter, Gauge, Registry } from "prom-client";
import type { Db } from "@/lib/db/database";
import { FAILED_STATUSES, FINAL_STATUSES, SYNC_FUNCTIONS } from "@/lib/core/vocabulary";
import { metricRecorder } from "@/lib/telemetry";
import { loadClientFigures, type ClientFigures } from "./clients";
import { loadRunFigures, type RunFigures } from "./runs";

export { scrapeTokenViewer } from "./scrape-token";

const PROCESS_REGISTRY = Symbol.for("flowscope.prometheusProcessRegistry");
type WithRegistry = typeof globalThis & { [PROCESS_REGISTRY]?: Registry };

/**
 * prom-client's default metrics, registered once per process: Next's dev server reloads
 * modules, and a second registration would start a second set of collectors.
 */
function processRegistry(): Registry {
  const g = globalThis as WithRegistry;
  if (!g[PROCESS_REGISTRY]) {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    g[PROCESS_REGISTRY] = registry;
  }
  return g[PROCESS_REGISTRY];
}

const counter = (registry: Registry, name: string, help: string, labelNames: string[] = []) =>
  new Counter({ name: `flowscope_${name}`, help, labelNames, registers: [registry] });
const gauge = (registry: Registry, name: string, help: string, labelNames: string[] = []) =>
  new Gauge({ name: `flowscope_${name}`, help, labelNames, registers: [registry] });

function addClients(registry: Registry, clients: ClientFigures[], now: Date): void {
  const executions = counter(
    registry,
    "executions_total",
    "Production executions that finished with this status, all time, from the month rollups (kept forever: retention and restarts never lower it); counted once a sync has rolled them up.",
    ["client", "status", "production"],
  );
  const failures = counter(
    registry,
    "execution_failures_total",
    `Production executions that failed (${FAILED_STATUSES.join(" or ")}), all time, from the month rollups.`,
    ["client"],
  );
  const unfinished = gauge(
    registry,
    "executions_unfinished",
    "Production executions counted in the rollups whose status is not final yet (running, waiting, new, unknown).",
    ["client"],
  );
  const llmCalls = counter(
    registry,
    "llm_calls_total",
    "LLM calls of production executions and ingested usage with a workflow, all time, from the month rollups.",
    ["client"],
  );
  const llmTokens = counter(
    registry,
    "llm_tokens_total",
    "LLM tokens (prompt and completion) of production executions and ingested usage with a workflow, all time, from the month rollups.",
    ["client"],
  );
  const llmCost = counter(
    registry,
    "llm_cost_usd_total",
    "LLM cost in US dollars (unpriced usage counts 0), all time, from the month rollups.",
    ["client"],
  );
  const missing = gauge(
    registry,
    "missing_executions",
    "Execution ids n8n answered 404 for (pruned or deleted before Flowscope read them, or hidden from the key): the coverage ledger's missing ids.",
    ["client"],
  );
  const syncAge = gauge(
    registry,
    "last_sync_age_seconds",
    "Seconds since the newest successful sync of the client finished; absent when none has.",
    ["client"],
  );
  const syncOk = gauge(
    registry,
    "last_sync_success",
    "1 when the client's newest finished sync succeeded, 0 when it failed; absent when none has finished.",
    ["client"],
  );
  const active = gauge(
    registry,
    "client_active",
    "1 for a client that is synced, 0 for an inactive one (its figures are still served).",
    ["client"],
  );
  for (const c of clients) {
    const client = c.slug;
    for (const status of FINAL_STATUSES) executions.inc({ client, status, production: "true" }, c[status]);
    failures.inc(
      { client },
      FAILED_STATUSES.reduce((sum, status) => sum + c[status], 0),
    );
    unfinished.set({ client }, c.other);
    llmCalls.inc({ client }, c.llmCalls);
    llmTokens.inc({ client }, c.tokens);
    llmCost.inc({ client }, c.costMicroUsd / 1e6);
    missing.set({ client }, c.missing);
    if (c.lastSyncAt) syncAge.set({ client }, Math.max(0, (now.getTime() - c.lastSyncAt.getTime()) / 1000));
    if (c.lastSyncOk !== null) syncOk.set({ client }, c.lastSyncOk ? 1 : 0);
    active.set({ client }, c.active ? 1 : 0);
  }
}

const RUN_STATUSES = ["success", "error"] as const;
const OPEN_STATES = ["queued", "running"] as const;

function addRuns(registry: Registry, runs: RunFigures): void {
  const total = counter(registry, "runs_total", "Flowscope's finished job runs (sync_runs) by function and status.", [
    "function",
    "status",
  ]);
  const lastDuration = gauge(
    registry,
    "run_duration_seconds_last",
    "Wall time of the newest finished run of the function, in seconds.",
    ["function"],
  );
  const depth = gauge(registry, "queue_depth", "Runs of the function queued or running now.", ["function", "state"]);
  // Every pair present from the first scrape, so rate() and absent() see the series at once.
  for (const fn of SYNC_FUNCTIONS) {
    for (const status of RUN_STATUSES) total.inc({ function: fn, status }, 0);
    for (const state of OPEN_STATES) depth.set({ function: fn, state }, 0);
  }
  for (const r of runs.finished) total.inc({ function: r.function, status: r.status }, r.count);
  for (const r of runs.open) depth.inc({ function: r.function, state: r.state }, r.count);
  for (const r of runs.last) lastDuration.set({ function: r.function }, r.seconds);
}

function addRecorder(registry: Registry, db: Db): void {
  const stats = metricRecorder(db).stats;
  const help = (what: string) => `${what} by this process's system-metrics recorder since it started.`;
  counter(registry, "telemetry_points_recorded_total", help("Points buffered")).inc(stats.recorded);
  counter(registry, "telemetry_points_written_total", help("Points written to the database")).inc(stats.written);
  counter(
    registry,
    "telemetry_points_dropped_total",
    help("Points given up (invalid, buffer full, or writes failed)"),
  ).inc(stats.dropped);
  counter(registry, "telemetry_write_failures_total", help("Failed writes (and recording errors)")).inc(
    stats.failedWrites,
  );
  gauge(registry, "telemetry_points_buffered", "Points waiting in the recorder's buffer to be written.").set(
    stats.buffered,
  );
}

export interface PrometheusScrape {
  /** `text/plain; version=0.0.4; charset=utf-8` */
  contentType: string;
  text: string;
}

/** The exposition text of one scrape; `now` is the instant ages are measured at. */
export async function renderPrometheus(db: Db, opts: { now?: Date } = {}): Promise<PrometheusScrape> {
  const now = opts.now ?? new Date();
  const [clients, runs] = await Promise.all([loadClientFigures(db), loadRunFigures(db, now)]);
  const scrape = new Registry();
  addClients(scrape, clients, now);
  addRuns(scrape, runs);
  addRecorder(scrape, db);
  const registry = Registry.merge([processRegistry(), scrape]);
  return { contentType: registry.contentType, text: await registry.metrics() };
}
