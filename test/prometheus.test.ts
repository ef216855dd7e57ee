/**
 * GET /api/v1/prometheus: the text parses under a strict reading of the exposition format,
 * the counters equal the stored counts (SQL here, independent of lib/metrics/prometheus),
 * they do not go down when retention deletes what they were counted from, and only the
 * scrape token or an operator-level viewer may read it.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { queryRows, type DatabaseHandle } from "@/lib/db/database";
import { collectGaps, llmUsage } from "@/lib/db/schema";
import { env } from "@/lib/core/env";
import { createApiToken } from "@/lib/accounts/tokens";
import { refreshRollups, runRetention } from "@/lib/ingest/rollups";
import { queueRun, recordRun } from "@/lib/runs/record";
import { metricRecorder } from "@/lib/telemetry";
import { InMemorySource, type FakeExecutionInput } from "@/lib/n8n/fake";
import { renderPrometheus } from "@/lib/metrics/prometheus";
import { openApiDocument } from "@/lib/api/openapi";
import { GET as prometheusRoute } from "@/app/api/v1/prometheus/route";
import { createTestDatabase } from "./helpers/db";
import { callRoute, useAsAppDatabase } from "./helpers/app-db";
import { signedInUser } from "./helpers/auth";
import { createClient, createWorkflow, insertExecutions } from "./helpers/factories";
import { syncHarness } from "./helpers/sync-harness";

const KEY = "test-key";
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// Recent and on an hour boundary: the synced executions lie within every retention horizon.
const NOW = new Date(Math.floor(Date.now() / HOUR) * HOUR);
const at = (ms: number) => new Date(NOW.getTime() - ms);
const SCRAPE_TOKEN = randomBytes(24).toString("base64url");

let handle: DatabaseHandle;
const harness = syncHarness(() => handle.db, { apiKey: KEY, now: NOW });
const previousToken = env.PROMETHEUS_SCRAPE_TOKEN;

beforeAll(async () => {
  handle = await createTestDatabase();
  useAsAppDatabase(handle);
  env.PROMETHEUS_SCRAPE_TOKEN = SCRAPE_TOKEN;
});
afterAll(async () => {
  env.PROMETHEUS_SCRAPE_TOKEN = previousToken;
  await harness.close();
  await handle.close();
});

// ---------------------------------------------------------------------------------------
// A strict reader of the text exposition format (version 0.0.4).

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}
interface Family {
  name: string;
  help?: string;
  type?: "counter" | "gauge" | "histogram" | "summary" | "untyped";
  samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/**
 * A value as Prometheus reads it (Go's ParseFloat): a decimal, or NaN and Inf in any case
 * (prom-client writes NaN as "Nan").
 */
const NUMBER =
  /^(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[nN][aA][nN]|[+-]?(?:[iI][nN][fF](?:[iI][nN][iI][tT][yY])?))$/;
/** HELP text: any character but a lone backslash; `\\` and `\n` are the only escapes. */
const HELP_TEXT = /^(?:[^\\\n]|\\[\\n])*$/;

/** `{a="x",b="y\"z"}` → labels, refusing anything the format does not allow. */
function parseLabels(text: string, where: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`${where}: ${why} at label column ${i}`);
  };
  while (i < text.length) {
    const eq = text.indexOf("=", i);
    if (eq < 0) fail("label without =");
    const name = text.slice(i, eq);
    if (!LABEL_NAME.test(name)) fail(`bad label name ${JSON.stringify(name)}`);
    if (name in labels) fail(`label ${name} twice`);
    i = eq + 1;
    if (text[i] !== '"') fail("label value not quoted");
    i++;
    let value = "";
    for (;;) {
      if (i >= text.length) fail("unterminated label value");
      const ch = text[i];
      if (ch === '"') break;
      if (ch === "\n") fail("raw newline in label value");
      if (ch === "\\") {
        const next = text[i + 1];
        if (next === "\\") value += "\\";
        else if (next === '"') value += '"';
        else if (next === "n") value += "\n";
        else fail(`bad escape \\${next}`);
        i += 2;
        continue;
      }
      value += ch;
      i++;
    }
    labels[name] = value;
    i++;
    if (i < text.length) {
      if (text[i] !== ",") fail("labels not separated by a comma");
      i++;
      if (i >= text.length) fail("trailing comma");
    }
  }
  return labels;
}

function parseValue(text: string, where: string): number {
  if (!NUMBER.test(text)) throw new Error(`${where}: bad value ${text}`);
  if (/nan/i.test(text)) return Number.NaN;
  if (/inf/i.test(text)) return text.startsWith("-") ? -Infinity : Infinity;
  return Number(text);
}

/** The family a sample belongs to: its own name, or a histogram's/summary's suffixed series. */
function familyOf(family: Family | undefined, sample: string): boolean {
  if (!family) return false;
  if (sample === family.name) return family.type !== "histogram";
  const suffix = sample.slice(family.name.length);
  if (!sample.startsWith(family.name)) return false;
  if (family.type === "histogram") return ["_bucket", "_sum", "_count"].includes(suffix);
  if (family.type === "summary") return ["_sum", "_count"].includes(suffix);
  return false;
}

/**
 * Every line is `# HELP name text`, `# TYPE name type`, a sample or empty; a family's HELP
 * and TYPE come once each, before its samples, and its samples are together; counters end
 * in _total and are finite and not negative; histogram buckets carry `le`; no series twice.
 */
function parseExposition(text: string): Map<string, Family> {
  if (!text.endsWith("\n")) throw new Error("the text must end with a newline");
  const families = new Map<string, Family>();
  const series = new Set<string>();
  let current: Family | undefined;
  const lines = text.slice(0, -1).split("\n");
  lines.forEach((line, n) => {
    const where = `line ${n + 1} (${line.slice(0, 80)})`;
    if (line === "") return;
    const meta = /^# (HELP|TYPE) (\S+)(?: (.*))?$/.exec(line);
    if (meta) {
      const [, kind, name, rest = ""] = meta;
      if (!METRIC_NAME.test(name)) throw new Error(`${where}: bad metric name`);
      let family = families.get(name);
      if (!family) {
        family = { name, samples: [] };
        families.set(name, family);
      } else if (family !== current || family.samples.length > 0) {
        throw new Error(`${where}: ${kind} of ${name} after its samples or apart from its family`);
      }
      current = family;
      if (kind === "HELP") {
        if (family.help !== undefined) throw new Error(`${where}: HELP twice`);
        if (!HELP_TEXT.test(rest)) throw new Error(`${where}: bad HELP text`);
        family.help = rest;
      } else {
        if (family.type !== undefined) throw new Error(`${where}: TYPE twice`);
        if (!/^(counter|gauge|histogram|summary|untyped)$/.test(rest)) throw new Error(`${where}: bad TYPE`);
        family.type = rest as Family["type"];
        if (family.type === "counter" && !name.endsWith("_total"))
          throw new Error(`${where}: counter ${name} does not end in _total`);
      }
      return;
    }
    if (line.startsWith("#")) throw new Error(`${where}: a comment that is neither HELP nor TYPE`);
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: (-?\d+))?$/.exec(line);
    if (!m) throw new Error(`${where}: not a sample`);
    const [, name, labelText = "", valueText] = m;
    if (!familyOf(current, name)) throw new Error(`${where}: sample outside its family`);
    const family = current!;
    if (family.help === undefined || family.type === undefined)
      throw new Error(`${where}: sample before its family's HELP and TYPE`);
    const labels = parseLabels(labelText, where);
    const value = parseValue(valueText, where);
    if (family.type === "counter" && !(Number.isFinite(value) && value >= 0))
      throw new Error(`${where}: counter value ${valueText}`);
    if (name.endsWith("_bucket") && family.type === "histogram" && !("le" in labels))
      throw new Error(`${where}: bucket without le`);
    const id = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (series.has(id)) throw new Error(`${where}: series twice`);
    series.add(id);
    family.samples.push({ name, labels, value });
  });
  for (const family of families.values())
    if (family.help === undefined || family.type === undefined) throw new Error(`${family.name}: HELP or TYPE missing`);
  return families;
}

/** The value of one series, or undefined when it is absent. */
function valueOf(families: Map<string, Family>, name: string, labels: Record<string, string> = {}) {
  const family = families.get(name);
  const want = JSON.stringify(Object.entries(labels).sort());
  return family?.samples.find((s) => s.name === name && JSON.stringify(Object.entries(s.labels).sort()) === want)
    ?.value;
}

/** name → value per label set, as {`{"client":"x"}`: 3}, for comparing whole families. */
function seriesOf(families: Map<string, Family>, name: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of families.get(name)?.samples ?? []) out[JSON.stringify(s.labels)] = s.value;
  return out;
}

async function scrape(now = new Date()) {
  const { contentType, text } = await renderPrometheus(handle.db, { now });
  expect(contentType).toBe("text/plain; version=0.0.4; charset=utf-8");
  return parseExposition(text);
}

// ---------------------------------------------------------------------------------------
// Stored counts, straight from the tables.

/** Production executions per client slug and final status, and failures, from raw rows. */
async function rawExecutionCounts(clientIds: number[]) {
  const rows = await queryRows<{ slug: string; status: string; n: number }>(
    handle.db,
    sql`select c.slug, e.status, count(*)::int as n from executions e join clients c on c.id = e.client_id
      where e.is_production and e.started_at is not null and e.client_id = any (${`{${clientIds.join(",")}}`}::int[])
        and e.status in ('success', 'error', 'crashed', 'canceled')
      group by 1, 2`,
  );
  const executions: Record<string, number> = {};
  const failures: Record<string, number> = {};
  for (const r of rows) {
    executions[JSON.stringify({ client: r.slug, status: r.status, production: "true" })] = Number(r.n);
    if (r.status === "error" || r.status === "crashed")
      failures[JSON.stringify({ client: r.slug })] = (failures[JSON.stringify({ client: r.slug })] ?? 0) + Number(r.n);
  }
  return { executions, failures };
}

/** Counted LLM usage (not of a stored non-production execution, with a workflow) per client slug. */
async function rawLlm(clientId: number) {
  const [row] = await queryRows<{ cost: number | null; tokens: number | null; calls: number }>(
    handle.db,
    sql`select sum(u.cost_micro_usd)::float8 as cost, sum(u.prompt_tokens + u.completion_tokens)::float8 as tokens,
        count(*)::int as calls
      from llm_usage u where u.client_id = ${clientId} and u.workflow_id is not null
        and not exists (select 1 from executions x where x.client_id = u.client_id
          and x.n8n_execution_id = u.n8n_execution_id and not x.is_production)`,
  );
  return { usd: Number(row.cost ?? 0) / 1e6, tokens: Number(row.tokens ?? 0), calls: Number(row.calls) };
}

/** Only the series of the given clients (other tests' clients share the database). */
function forClients(series: Record<string, number>, slugs: string[]) {
  return Object.fromEntries(
    Object.entries(series).filter(([k]) => slugs.includes((JSON.parse(k) as { client: string }).client)),
  );
}

const nonZero = (series: Record<string, number>) => Object.fromEntries(Object.entries(series).filter(([, v]) => v));

// ---------------------------------------------------------------------------------------

const WORKFLOWS = [
  { id: "1", name: "Invoice sync" },
  { id: "2", name: "Lead intake" },
];
const STATUSES = ["success", "success", "error", "crashed", "canceled", "success"] as const;

function executions(n: number): FakeExecutionInput[] {
  return Array.from({ length: n }, (_, i) => {
    const startedAt = new Date(at(30 * HOUR).getTime() + i * 60_000);
    return {
      id: i + 1,
      workflowId: WORKFLOWS[i % 2].id,
      status: STATUSES[i % STATUSES.length],
      // Manual runs are not production: they count nowhere.
      mode: i % 7 === 0 ? "manual" : "trigger",
      startedAt,
      stoppedAt: new Date(startedAt.getTime() + 500 + i),
    };
  });
}

describe("the exposition text", () => {
  it("parses strictly, and per client its counters equal the stored counts", async () => {
    const { client: synced } = await harness.setup(
      new InMemorySource({ workflows: WORKFLOWS, executions: executions(140) }),
    );
    await harness.sync(synced);
    // A client whose n8n is unreachable: its sync fails.
    const broken = await createClient(handle.db, { n8nBaseUrl: "http://127.0.0.1:1", n8nApiKey: KEY });
    await expect(harness.sync(broken)).rejects.toThrow();
    // An inactive client that never synced: present, labelled, all zero.
    const idle = await createClient(handle.db, { active: false });
    // The coverage ledger's missing ids (5 + 1); unprobed ones are not missing.
    await handle.db.insert(collectGaps).values([
      { clientId: synced.id, lo: 1000, hi: 1004, state: "missing" },
      { clientId: synced.id, lo: 2000, hi: 2000, state: "missing" },
      { clientId: synced.id, lo: 3000, hi: 3009, state: "unprobed" },
    ]);

    const families = await scrape();
    const slugs = [synced.slug, broken.slug, idle.slug];
    const want = await rawExecutionCounts([synced.id, broken.id, idle.id]);
    expect(Object.values(want.executions).reduce((a, b) => a + b, 0)).toBeGreaterThan(100);
    expect(nonZero(forClients(seriesOf(families, "flowscope_executions_total"), slugs))).toEqual(want.executions);
    expect(nonZero(forClients(seriesOf(families, "flowscope_execution_failures_total"), slugs))).toEqual(want.failures);
    // Every client has every status, zeros included, so rate() sees a series from the start.
    for (const slug of slugs)
      for (const status of ["success", "error", "crashed", "canceled"])
        expect(valueOf(families, "flowscope_executions_total", { client: slug, status, production: "true" })).toBe(
          want.executions[JSON.stringify({ client: slug, status, production: "true" })] ?? 0,
        );

    expect(valueOf(families, "flowscope_missing_executions", { client: synced.slug })).toBe(6);
    expect(valueOf(families, "flowscope_missing_executions", { client: idle.slug })).toBe(0);
    expect(valueOf(families, "flowscope_client_active", { client: idle.slug })).toBe(0);
    expect(valueOf(families, "flowscope_client_active", { client: synced.slug })).toBe(1);
    expect(valueOf(families, "flowscope_last_sync_success", { client: synced.slug })).toBe(1);
    expect(valueOf(families, "flowscope_last_sync_success", { client: broken.slug })).toBe(0);
    expect(valueOf(families, "flowscope_last_sync_success", { client: idle.slug })).toBeUndefined();
    expect(valueOf(families, "flowscope_last_sync_age_seconds", { client: broken.slug })).toBeUndefined();

    // Ages are measured from the newest successful sync's finish.
    const later = new Date(Date.now() + 90_000);
    const [{ finished }] = await queryRows<{ finished: string | Date }>(
      handle.db,
      sql`select max(finished_at) as finished from sync_runs
        where client_id = ${synced.id} and function = 'sync-client' and status = 'success'`,
    );
    const aged = await scrape(later);
    expect(valueOf(aged, "flowscope_last_sync_age_seconds", { client: synced.slug })).toBeCloseTo(
      (later.getTime() - new Date(finished).getTime()) / 1000,
      3,
    );

    // Prometheus' own process metrics, under their standard names.
    expect(families.get("process_cpu_user_seconds_total")?.type).toBe("counter");
    expect(families.get("nodejs_eventloop_lag_seconds")?.type).toBe("gauge");
    expect(families.get("process_resident_memory_bytes")).toBeDefined();
  });

  it("reads a label value with quotes, backslashes and newlines back as stored", async () => {
    const slug = `odd"slug\\with\nnewline-${randomBytes(3).toString("hex")}`;
    await createClient(handle.db, { slug });
    const families = await scrape();
    expect(valueOf(families, "flowscope_client_active", { client: slug })).toBe(1);
  });

  it("the strict reader refuses what the format does not allow", () => {
    const ok = '# HELP a_total A.\n# TYPE a_total counter\na_total{x="1"} 2\n';
    expect(() => parseExposition(ok)).not.toThrow();
    for (const bad of [
      'a_total{x="1"} 2\n', // no HELP/TYPE
      "# HELP a A.\n# TYPE a counter\na 1\n", // counter without _total
      '# HELP a_total A.\n# TYPE a_total counter\na_total{x="1} 2\n', // unterminated
      '# HELP a_total A.\n# TYPE a_total counter\na_total{x="\\t"} 2\n', // bad escape
      "# HELP a_total A.\n# TYPE a_total counter\na_total -1\n", // negative counter
      "# HELP a_total A.\n# TYPE a_total counter\na_total 1\na_total 2\n", // twice
      "# HELP g G.\n# TYPE g gauge\n# comment\ng 1\n",
      "# HELP g G.\n# TYPE g gauge\ng 1", // no final newline
      "# HELP g G.\n# TYPE g gauge\ng one\n",
    ])
      expect(() => parseExposition(bad), bad).toThrow();
  });
});

describe("the counters and retention", () => {
  it("keep their values when retention deletes raw executions, hours, days and weeks", async () => {
    const client = await createClient(handle.db);
    const wf = await createWorkflow(handle.db, client.id);
    const base = { clientId: client.id, workflowId: wf.id };
    const old = new Date(Math.floor((Date.now() - 120 * DAY) / HOUR) * HOUR + 10 * 60_000);
    const statuses = ["success", "error", "crashed", "canceled", "success", "success", "error"] as const;
    const oldRows = await insertExecutions(
      handle.db,
      base,
      statuses.map((status, i) => ({ startedAt: new Date(old.getTime() + i * 7 * DAY), status })),
    );
    // Manual runs 120 days ago: retention deletes them and their LLM usage; they never counted.
    const [manual] = await insertExecutions(handle.db, base, [
      { startedAt: new Date(old.getTime() + HOUR), isProduction: false, mode: "manual", exclusionReason: "manual" },
    ]);
    await insertExecutions(handle.db, base, [
      { startedAt: at(2 * DAY), status: "error" },
      { startedAt: at(2 * DAY + HOUR) },
    ]);
    const usage = (n8nExecutionId: number, occurredAt: Date, cost: number, i: number) => ({
      clientId: client.id,
      workflowId: wf.id,
      n8nExecutionId,
      model: "gpt-4o-mini",
      promptTokens: 100 + i,
      completionTokens: 40,
      totalTokens: 140 + i,
      costMicroUsd: cost,
      source: "ingest" as const,
      idempotencyKey: `prom-${client.id}-${i}`,
      occurredAt,
    });
    await handle.db
      .insert(llmUsage)
      .values([
        usage(oldRows[0].n8nExecutionId, new Date(oldRows[0].startedAt!.getTime() + 1000), 1_250, 0),
        usage(oldRows[3].n8nExecutionId, new Date(oldRows[3].startedAt!.getTime() + 1000), 3_500, 1),
        usage(manual.n8nExecutionId, new Date(manual.startedAt!.getTime() + 1000), 9_000, 2),
      ]);
    await refreshRollups(handle.db, { clientId: client.id });

    const counters = (families: Map<string, Family>) => ({
      executions: nonZero(forClients(seriesOf(families, "flowscope_executions_total"), [client.slug])),
      failures: forClients(seriesOf(families, "flowscope_execution_failures_total"), [client.slug]),
      usd: valueOf(families, "flowscope_llm_cost_usd_total", { client: client.slug }),
      tokens: valueOf(families, "flowscope_llm_tokens_total", { client: client.slug }),
      calls: valueOf(families, "flowscope_llm_calls_total", { client: client.slug }),
    });
    const before = counters(await scrape());
    const stored = await rawExecutionCounts([client.id]);
    const llm = await rawLlm(client.id);
    expect(before.executions).toEqual(stored.executions);
    expect(before.failures).toEqual({ [JSON.stringify({ client: client.slug })]: 4 });
    expect(before.usd).toBeCloseTo(llm.usd, 9);
    expect(llm.usd).toBeCloseTo(0.00475, 9);
    expect(before.tokens).toBe(llm.tokens);
    expect(before.calls).toBe(llm.calls);

    const result = await runRetention(handle.db, { rawDays: 30, hourlyDays: 30, dailyDays: 45, weeklyDays: 45 });
    expect(result.executionsDeleted).toBeGreaterThanOrEqual(8);
    expect(result.usageDeleted).toBeGreaterThanOrEqual(1);
    expect(result.hourlyDeleted).toBeGreaterThan(0);
    expect(result.dailyDeleted).toBeGreaterThan(0);
    expect(result.weeklyDeleted).toBeGreaterThan(0);
    // What is left raw is only the recent part; the counters still count everything.
    expect((await rawExecutionCounts([client.id])).executions).toEqual({
      [JSON.stringify({ client: client.slug, status: "error", production: "true" })]: 1,
      [JSON.stringify({ client: client.slug, status: "success", production: "true" })]: 1,
    });
    expect(counters(await scrape())).toEqual(before);
  });
});

describe("the job figures", () => {
  /** Finished runs per function and status, from sync_runs. */
  async function storedRuns() {
    const rows = await queryRows<{ function: string; status: string; n: number }>(
      handle.db,
      sql`select function, status, count(*)::int as n from sync_runs where finished_at is not null group by 1, 2`,
    );
    return Object.fromEntries(rows.map((r) => [JSON.stringify({ function: r.function, status: r.status }), r.n]));
  }

  async function storedLastDurations() {
    const rows = await queryRows<{ function: string; seconds: number }>(
      handle.db,
      sql`select distinct on (function) function, extract(epoch from finished_at - started_at)::float8 as seconds
        from sync_runs where finished_at is not null order by function, finished_at desc, id desc`,
    );
    return Object.fromEntries(rows.map((r) => [JSON.stringify({ function: r.function }), Number(r.seconds)]));
  }

  it("counts finished runs as sync_runs does, before and after they settle, and the queue as it is", async () => {
    await recordRun(handle.db, { function: "rollup", trigger: "manual" }, async () => ({}));
    await expect(
      recordRun(handle.db, { function: "backfill", trigger: "cli" }, async () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");

    const fresh = await scrape();
    expect(nonZero(seriesOf(fresh, "flowscope_runs_total"))).toEqual(await storedRuns());
    expect(seriesOf(fresh, "flowscope_run_duration_seconds_last")).toEqual(await storedLastDurations());

    // Two days on, every finished run is settled (kept per process, not read again).
    const twoDaysOn = new Date(Date.now() + 2 * DAY);
    const settled = await scrape(twoDaysOn);
    expect(nonZero(seriesOf(settled, "flowscope_runs_total"))).toEqual(await storedRuns());

    // New runs after the settled ones: added to them, and the queue shows what waits.
    const queued = await queueRun(handle.db, { function: "reclassify", trigger: "manual" });
    await recordRun(handle.db, { function: "rollup", trigger: "manual" }, async () => ({}));
    await recordRun(handle.db, { function: "retention", trigger: "cron" }, async () => ({}));
    for (const now of [twoDaysOn, new Date(Date.now() + 4 * DAY)]) {
      const families = await scrape(now);
      expect(nonZero(seriesOf(families, "flowscope_runs_total"))).toEqual(await storedRuns());
      expect(seriesOf(families, "flowscope_run_duration_seconds_last")).toEqual(await storedLastDurations());
      expect(valueOf(families, "flowscope_queue_depth", { function: "reclassify", state: "queued" })).toBe(1);
      expect(valueOf(families, "flowscope_queue_depth", { function: "rollup", state: "running" })).toBe(0);
      for (const status of ["success", "error"])
        expect(valueOf(families, "flowscope_runs_total", { function: "reclassify", status })).toBe(0);
    }

    // The queued run finishes: counted once, and the queue is empty again.
    await recordRun(handle.db, { function: "reclassify", trigger: "manual", runId: queued }, async () => ({}));
    const done = await scrape(new Date(Date.now() + 4 * DAY));
    expect(nonZero(seriesOf(done, "flowscope_runs_total"))).toEqual(await storedRuns());
    expect(valueOf(done, "flowscope_runs_total", { function: "reclassify", status: "success" })).toBe(1);
    expect(valueOf(done, "flowscope_queue_depth", { function: "reclassify", state: "queued" })).toBe(0);
  });

  it("shows the metric recorder's own counts", async () => {
    const families = await scrape();
    const stats = metricRecorder(handle.db).stats;
    expect(valueOf(families, "flowscope_telemetry_points_recorded_total")).toBe(stats.recorded);
    expect(stats.recorded).toBeGreaterThan(0);
    for (const name of [
      "flowscope_telemetry_points_written_total",
      "flowscope_telemetry_points_dropped_total",
      "flowscope_telemetry_write_failures_total",
      "flowscope_telemetry_points_buffered",
    ])
      expect(valueOf(families, name), name).toBeGreaterThanOrEqual(0);
  });
});

describe("GET /api/v1/prometheus", () => {
  const get = (headers: Record<string, string>, token: string | null = null) =>
    callRoute(prometheusRoute, "/api/v1/prometheus", {}, { token, headers });

  it("answers the scrape token with the text format", async () => {
    const res = await get({}, SCRAPE_TOKEN);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("no-store");
    const families = parseExposition(await res.text());
    expect(families.get("flowscope_executions_total")?.type).toBe("counter");
  });

  it("answers operators, admins and global tokens", async () => {
    const operator = await signedInUser(handle.db, "operator");
    const admin = await signedInUser(handle.db, "admin");
    expect((await get({ cookie: operator.cookie })).status).toBe(200);
    expect((await get({ cookie: admin.cookie })).status).toBe(200);
    const global = await createApiToken(handle.db, { name: "global" }, null);
    expect((await get({}, global.token)).status).toBe(200);
  });

  it("is 401 without credentials or with a wrong token, 403 for client users and client tokens", async () => {
    const code = async (res: Response) => [res.status, ((await res.json()) as { error: { code: string } }).error.code];
    expect(await code(await get({}))).toEqual([401, "unauthorized"]);
    expect(await code(await get({}, `${SCRAPE_TOKEN}x`))).toEqual([401, "unauthorized"]);
    expect(await code(await get({}, SCRAPE_TOKEN.slice(0, -1)))).toEqual([401, "unauthorized"]);
    expect(await code(await get({ authorization: `Basic ${SCRAPE_TOKEN}` }))).toEqual([401, "unauthorized"]);
    const client = await createClient(handle.db);
    const user = await signedInUser(handle.db, "client", client.id);
    expect(await code(await get({ cookie: user.cookie }))).toEqual([403, "forbidden"]);
    const scoped = await createApiToken(handle.db, { name: "client", clientId: client.id }, null);
    expect(await code(await get({}, scoped.token))).toEqual([403, "forbidden"]);
  });

  it("is described in the OpenAPI document as text, not JSON", () => {
    const doc = openApiDocument() as {
      paths: Record<string, { get: { responses: Record<string, { content: Record<string, unknown> }> } }>;
    };
    const op = doc.paths["/api/v1/prometheus"].get;
    expect(Object.keys(op.responses["200"].content)).toEqual(["text/plain"]);
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(["401", "403"]));
  });

  it("refuses the scrape token when none is configured", async () => {
    env.PROMETHEUS_SCRAPE_TOKEN = undefined;
    try {
      expect((await get({}, SCRAPE_TOKEN)).status).toBe(401);
    } finally {
      env.PROMETHEUS_SCRAPE_TOKEN = SCRAPE_TOKEN;
    }
  });
});
