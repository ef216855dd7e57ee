import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { and, asc, eq, isNotNull, sql } from "drizzle-orm";
import { MIGRATIONS_FOLDER, type DatabaseHandle } from "@/lib/db/database";
import {
  clients,
  executions,
  llmUsage,
  llmUsageKeys,
  rollupDirtyHours,
  rollups,
  syncRuns,
  type Client,
} from "@/lib/db/schema";
import { reclassifyClient } from "@/lib/ingest/classify/reclassify";
import { syncClient } from "@/lib/ingest/collect";
import { N8nClient, N8nError } from "@/lib/n8n";
import {
  RUN_DATA_CONCURRENCY as LLM_FETCH_CONCURRENCY,
  RUN_DATA_FAILURES_IN_A_ROW as LLM_FAILURES_IN_A_ROW,
  RUN_DATA_RETRIES as LLM_FETCH_RETRIES,
} from "@/lib/ingest/collect/run-data-fetch";
import { n8nApiKeyOf } from "@/lib/clients/connection";
import { createPriceOverride } from "@/lib/ingest/llm/pricing";
import { InMemorySource, startFakeN8n, type FakeExecutionInput, type FakeN8n } from "@/lib/n8n/fake";
import { GET as llmUsageRoute } from "@/app/api/v1/metrics/llm-usage/route";
import type { LlmUsageResponse } from "@/lib/metrics/llm-usage-types";
import { createTestDatabase } from "./helpers/db";
import { callRoute, qs, useAsAppDatabase } from "./helpers/app-db";
import { createClient } from "./helpers/factories";

const KEY = "test-key";
const HOUR = 3_600_000;
// Recent and on an hour boundary: hourly ranges stay within retention, buckets are exact.
const NOW = new Date(Math.floor(Date.now() / HOUR) * HOUR);
const at = (hoursAgo: number, minutes = 0) => new Date(NOW.getTime() - hoursAgo * HOUR + minutes * 60_000);
const MODEL = "flowscope-collect-model";
/** The override's prices: $2 and $8 per million input and output tokens. */
const cost = (prompt: number, completion: number) => prompt * 2 + completion * 8;

let handle: DatabaseHandle;
const servers: FakeN8n[] = [];
beforeAll(async () => {
  handle = await createTestDatabase();
  useAsAppDatabase(handle);
  await createPriceOverride(handle.db, {
    model: MODEL,
    provider: null,
    inputPerMillionMicroUsd: 2_000_000,
    outputPerMillionMicroUsd: 8_000_000,
    effectiveFrom: new Date("2020-01-01T00:00:00Z"),
  });
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await handle.close();
});

const AI = "wf-ai";
const PLAIN = "wf-plain";
const WORKFLOWS = [
  {
    id: AI,
    name: "Support bot",
    nodes: [
      { name: "Webhook", type: "n8n-nodes-base.webhook" },
      { name: "AI Agent", type: "@n8n/n8n-nodes-langchain.agent" },
      { name: "Chat Model", type: "@n8n/n8n-nodes-langchain.lmChatOpenAi", parameters: { model: MODEL } },
    ],
  },
  {
    id: PLAIN,
    name: "Invoice sync",
    nodes: [
      { name: "Schedule Trigger", type: "n8n-nodes-base.scheduleTrigger" },
      { name: "HTTP Request", type: "n8n-nodes-base.httpRequest" },
    ],
  },
];

type Call = [prompt: number, completion: number, estimate?: boolean];

/** n8n's run data of an execution whose chat model ran once per call, a second apart. */
function runData(start: Date, calls: Call[]) {
  return {
    resultData: {
      runData: {
        "Chat Model": calls.map(([promptTokens, completionTokens, estimate], i) => {
          const usage = { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens };
          const json = estimate ? { tokenUsageEstimate: usage } : { tokenUsage: usage };
          return {
            startTime: start.getTime() + i * 1000,
            executionStatus: "success",
            data: { ai_languageModel: [[{ json }]] },
          };
        }),
      },
    },
  };
}

function aiExecution(
  id: number,
  start: Date,
  calls: Call[],
  extra: Partial<FakeExecutionInput> = {},
): FakeExecutionInput {
  return {
    id,
    workflowId: AI,
    status: "success",
    mode: "webhook",
    startedAt: start,
    stoppedAt: new Date(start.getTime() + 30_000),
    data: runData(start, calls),
    ...extra,
  };
}

const plainExecution = (id: number, start: Date, status: "success" | "error" = "success"): FakeExecutionInput => ({
  id,
  workflowId: PLAIN,
  status,
  startedAt: start,
  stoppedAt: new Date(start.getTime() + 2000),
});

async function setup(executions: FakeExecutionInput[]) {
  const source = new InMemorySource({ workflows: WORKFLOWS, executions });
  const server = await startFakeN8n({ apiKey: KEY, source, now: () => NOW });
  servers.push(server);
  const client = await createClient(handle.db, { n8nBaseUrl: server.url, n8nApiKey: KEY });
  return { source, server, client };
}

const syncOptions = (client: Client, n8n: Partial<ConstructorParameters<typeof N8nClient>[0]> = {}) => ({
  clientId: client.id,
  trigger: "manual" as const,
  now: NOW,
  connect: (c: Client) =>
    new N8nClient({ baseUrl: c.n8nBaseUrl, apiKey: n8nApiKeyOf(c), sleep: async () => {}, ...n8n }),
});

const sync = (client: Client, n8n: Partial<ConstructorParameters<typeof N8nClient>[0]> = {}) =>
  syncClient(handle.db, syncOptions(client, n8n));

/** n8n ids of the client's executions marked as LLM-extracted. */
async function extractedIds(clientId: number): Promise<number[]> {
  const rows = await handle.db
    .select({ id: executions.n8nExecutionId })
    .from(executions)
    .where(and(eq(executions.clientId, clientId), isNotNull(executions.llmExtractedAt)))
    .orderBy(asc(executions.n8nExecutionId));
  return rows.map((r) => r.id);
}

/** The statement the llm_extraction_marker migration appends: marks existing non-AI executions. */
function migrationBackfill(): string {
  const file = readdirSync(MIGRATIONS_FOLDER).find((f) => f.endsWith("_llm_extraction_marker.sql"));
  const statements = readFileSync(path.join(MIGRATIONS_FOLDER, file as string), "utf8").split(
    "--> statement-breakpoint",
  );
  return statements.at(-1) as string;
}

const usageRows = (clientId: number) =>
  handle.db
    .select()
    .from(llmUsage)
    .where(eq(llmUsage.clientId, clientId))
    .orderBy(asc(llmUsage.n8nExecutionId), asc(llmUsage.occurredAt));

async function hourRollupSums(clientId: number) {
  const [row] = await handle.db
    .select({
      calls: sql<number>`coalesce(sum(${rollups.llmCalls}), 0)::int`,
      tokensIn: sql<number>`coalesce(sum(${rollups.tokensIn}), 0)::int`,
      cost: sql<number>`coalesce(sum(${rollups.costMicroUsd}), 0)::int`,
    })
    .from(rollups)
    .where(and(eq(rollups.clientId, clientId), eq(rollups.granularity, "hour")));
  return row;
}

async function runDetails(runId: number) {
  const [run] = await handle.db.select({ details: syncRuns.details }).from(syncRuns).where(eq(syncRuns.id, runId));
  return (run.details as { llm: Record<string, unknown> }).llm;
}

/** Paths of the requests that asked for run data. */
const dataRequests = (server: FakeN8n, from = 0) =>
  server.requests
    .slice(from)
    .filter((r) => r.query.includeData === "true")
    .map((r) => r.path);

async function usageApi(clientId: number): Promise<LlmUsageResponse> {
  const query = qs({ clientId, start: at(24).toISOString(), end: NOW.toISOString() });
  const res = await callRoute(llmUsageRoute, `/api/v1/metrics/llm-usage?${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as LlmUsageResponse;
}

describe("LLM usage collection during a sync", () => {
  it("reads the run data of AI executions only, one by one, and stores priced usage before the rollups", async () => {
    const { server, client } = await setup([
      aiExecution(1, at(5), [
        [1000, 200],
        [500, 100],
      ]),
      aiExecution(2, at(3, 10), [[2000, 400, true]]),
      plainExecution(3, at(3)),
      plainExecution(4, at(2), "error"),
      // A manual run from the editor: stored, but not counted, like its execution.
      aiExecution(5, at(2, 30), [[10_000, 1000]], { mode: "manual" }),
    ]);
    const run = await sync(client);

    // No list is ever asked with data; only the AI executions are, each on its own, and
    // the failed production one, for its error (error-details.test.ts).
    expect(
      server.requests.filter((r) => r.path === "/api/v1/executions").every((r) => r.query.includeData === undefined),
    ).toBe(true);
    expect(dataRequests(server).sort()).toEqual([
      "/api/v1/executions/1",
      "/api/v1/executions/2",
      "/api/v1/executions/4",
      "/api/v1/executions/5",
    ]);

    const rows = await usageRows(client.id);
    expect(
      rows.map((r) => [
        r.n8nExecutionId,
        r.model,
        r.provider,
        r.promptTokens,
        r.completionTokens,
        r.totalTokens,
        r.isEstimate,
        r.costMicroUsd,
      ]),
    ).toEqual([
      [1, MODEL, "openai", 1000, 200, 1200, false, cost(1000, 200)],
      [1, MODEL, "openai", 500, 100, 600, false, cost(500, 100)],
      [2, MODEL, "openai", 2000, 400, 2400, true, cost(2000, 400)],
      [5, MODEL, "openai", 10_000, 1000, 11_000, false, cost(10_000, 1000)],
    ]);
    expect(rows.every((r) => r.source === "n8n" && r.costSource === "override" && r.nodeName === "Chat Model")).toBe(
      true,
    );
    expect(rows[0].occurredAt).toEqual(at(5));
    // Stored before the rollup phase, which counted them (the manual run's usage excluded)
    // and left no dirty bucket behind.
    expect(await handle.db.select().from(rollupDirtyHours).where(eq(rollupDirtyHours.clientId, client.id))).toEqual([]);
    expect(await hourRollupSums(client.id)).toEqual({ calls: 3, tokensIn: 3500, cost: cost(3500, 700) });
    expect(await runDetails(run.runId)).toMatchObject({
      executionsFetched: 3,
      calls: 4,
      inserted: 4,
      warnings: 0,
      fetchFailures: 0,
    });

    const usage = await usageApi(client.id);
    expect(usage.totals).toEqual({
      calls: 3,
      promptTokens: 3500,
      completionTokens: 700,
      totalTokens: 4200,
      costUsd: cost(3500, 700) / 1e6,
      unpricedCalls: 0,
      estimatedTokenShare: Math.round((1000 * 2400) / 4200) / 10,
    });
    expect(usage.byWorkflow).toEqual([
      expect.objectContaining({ workflowName: "Support bot", calls: 3, totalTokens: 4200, costUsd: 0.0126 }),
    ]);
    expect(usage.byModel).toEqual([
      expect.objectContaining({ provider: "openai", model: MODEL, calls: 3, totalTokens: 4200, priced: true }),
    ]);
    expect(usage.granularity).toBe("hour");
    expect(usage.costOverTime).toHaveLength(24);
    const point = (d: Date) => usage.costOverTime.find((p) => p.bucket === d.toISOString());
    expect(point(at(5))).toEqual({
      bucket: at(5).toISOString(),
      calls: 2,
      totalTokens: 1800,
      costUsd: cost(1500, 300) / 1e6,
    });
    expect(point(at(4))).toEqual({ bucket: at(4).toISOString(), calls: 0, totalTokens: 0, costUsd: null });
  });

  it("does not fetch or count again on a second sync; a finished waiting execution is read again, counted once", async () => {
    const waitingStart = at(6);
    const { source, server, client } = await setup([
      aiExecution(1, at(8), [[100, 10]]),
      aiExecution(2, waitingStart, [[300, 30]], { status: "waiting", stoppedAt: at(6, 1), waitTill: at(-1) }),
    ]);
    await sync(client);
    expect((await usageRows(client.id)).map((r) => r.promptTokens)).toEqual([100, 300]);
    const before = server.requests.length;

    const second = await sync(client);
    expect(dataRequests(server, before)).toEqual([]);
    expect(await runDetails(second.runId)).toMatchObject({ executionsFetched: 0, calls: 0, inserted: 0 });
    expect(await usageRows(client.id)).toHaveLength(2);
    expect(await hourRollupSums(client.id)).toMatchObject({ calls: 2, tokensIn: 400 });

    // It resumes and calls the model once more: the first call is already stored.
    source.updateExecution(2, {
      status: "success",
      stoppedAt: at(5),
      waitTill: null,
      data: runData(waitingStart, [
        [300, 30],
        [50, 5],
      ]),
    });
    const third = await sync(client);
    expect(dataRequests(server, before)).toEqual(["/api/v1/executions/2"]);
    expect(await runDetails(third.runId)).toMatchObject({ executionsFetched: 1, calls: 2, inserted: 1, duplicates: 1 });
    expect((await usageRows(client.id)).map((r) => r.promptTokens)).toEqual([100, 300, 50]);
    expect(await hourRollupSums(client.id)).toMatchObject({ calls: 3, tokensIn: 450 });
  });

  it("counts malformed run data as warnings without failing the sync", async () => {
    const start = at(4);
    const { client } = await setup([
      aiExecution(1, start, [[100, 10]]),
      aiExecution(2, at(3), [], {
        data: {
          resultData: {
            runData: {
              "Chat Model": [
                {
                  startTime: start.getTime(),
                  executionStatus: "success",
                  data: {
                    ai_languageModel: [[{ json: { tokenUsage: { promptTokens: "many", completionTokens: 3 } } }]],
                  },
                },
                { startTime: start.getTime(), executionStatus: "success", data: { ai_languageModel: "oops" } },
              ],
            },
          },
        },
      }),
      aiExecution(3, at(2), [], { data: "not run data" }),
    ]);
    const run = await sync(client);

    const details = await runDetails(run.runId);
    expect(details).toMatchObject({ executionsFetched: 3, calls: 1, inserted: 1, warnings: 3 });
    // Fetched concurrently: the order of the samples is not fixed.
    expect([...(details.warningSamples as string[])].sort()).toEqual([
      expect.stringContaining("execution 2: Chat Model run 0 ai_languageModel[0][0]: tokenUsage.promptTokens"),
      expect.stringContaining("execution 2: Chat Model run 1 ai_languageModel: output is not a list"),
      expect.stringContaining("execution 3: no run data"),
    ]);
    expect((await usageRows(client.id)).map((r) => r.n8nExecutionId)).toEqual([1]);
    expect(run.executionsNew).toBe(3);
  });

  it("moves an execution's usage into the counts when a rule change makes it production", async () => {
    // The usage of the manual run sits in the hour after the run started.
    const { client } = await setup([
      aiExecution(1, at(4), [[100, 10]]),
      aiExecution(2, at(3, 59), [], { mode: "manual", data: runData(at(2, 1), [[7000, 700]]) }),
    ]);
    await sync(client);
    expect(await hourRollupSums(client.id)).toMatchObject({ calls: 1, tokensIn: 100 });
    expect((await usageApi(client.id)).totals).toMatchObject({ calls: 1, promptTokens: 100 });

    await handle.db
      .update(clients)
      .set({ filterRules: { excludeManual: false } })
      .where(eq(clients.id, client.id));
    await reclassifyClient(handle.db, { clientId: client.id, trigger: "manual" });
    expect(await hourRollupSums(client.id)).toMatchObject({ calls: 2, tokensIn: 7100 });
    expect((await usageApi(client.id)).totals).toMatchObject({ calls: 2, promptTokens: 7100 });
  });

  it("keeps syncing when one execution's data cannot be fetched, and fetches it on the next sync", async () => {
    const { server, client } = await setup([aiExecution(1, at(4), [[100, 10]]), aiExecution(2, at(3), [[200, 20]])]);
    server.faults.serverErrors(1, 500, { path: "/api/v1/executions/2" });
    const first = await sync(client, { maxRetries: 0 });

    expect(await runDetails(first.runId)).toMatchObject({ executionsFetched: 1, fetchFailures: 1, pending: 1 });
    expect((await usageRows(client.id)).map((r) => r.n8nExecutionId)).toEqual([1]);
    expect(await extractedIds(client.id)).toEqual([1]);

    const before = server.requests.length;
    const second = await sync(client, { maxRetries: 0 });
    // Only the failed one is read again; the first one's usage is not counted twice.
    expect(dataRequests(server, before)).toEqual(["/api/v1/executions/2"]);
    expect(await runDetails(second.runId)).toMatchObject({
      executionsFetched: 1,
      fetchFailures: 0,
      pending: 0,
      inserted: 1,
      duplicates: 0,
    });
    expect((await usageRows(client.id)).map((r) => r.n8nExecutionId)).toEqual([1, 2]);
    expect(await hourRollupSums(client.id)).toMatchObject({ calls: 2, tokensIn: 300 });
    expect(await extractedIds(client.id)).toEqual([1, 2]);
  });

  it("marks an execution that n8n pruned before its data was read as gone, and never asks again", async () => {
    const { source, server, client } = await setup([
      aiExecution(1, at(4), [[100, 10]]),
      aiExecution(2, at(3), [[200, 20]]),
    ]);
    server.faults.serverErrors(1, 500, { path: "/api/v1/executions/2" });
    await sync(client, { maxRetries: 0 });
    source.removeExecution(2);

    const second = await sync(client, { maxRetries: 0 });
    expect(await runDetails(second.runId)).toMatchObject({
      executionsFetched: 0,
      gone: 1,
      fetchFailures: 0,
      pending: 0,
      inserted: 0,
    });
    expect(await extractedIds(client.id)).toEqual([1, 2]);

    const before = server.requests.length;
    await sync(client, { maxRetries: 0 });
    expect(dataRequests(server, before)).toEqual([]);
    expect((await usageRows(client.id)).map((r) => r.n8nExecutionId)).toEqual([1]);
  });

  it("backfills executions stored before extraction existed, AI workflows' only, as the migration leaves them", async () => {
    const { server, client } = await setup([
      aiExecution(1, at(6), [[100, 10]]),
      plainExecution(2, at(5)),
      aiExecution(3, at(4), [[300, 30]]),
      plainExecution(4, at(3), "error"),
    ]);
    await sync(client);
    // As before the upgrade: no usage stored, no marker; the migration's rule marks the rest.
    await handle.db.delete(llmUsage).where(eq(llmUsage.clientId, client.id));
    await handle.db.delete(llmUsageKeys).where(eq(llmUsageKeys.clientId, client.id));
    await handle.db.update(executions).set({ llmExtractedAt: null }).where(eq(executions.clientId, client.id));
    await handle.db.execute(sql.raw(migrationBackfill()));
    expect(await extractedIds(client.id)).toEqual([2, 4]);

    const before = server.requests.length;
    const run = await sync(client);
    expect(dataRequests(server, before).sort()).toEqual(["/api/v1/executions/1", "/api/v1/executions/3"]);
    expect(await runDetails(run.runId)).toMatchObject({ executionsFetched: 2, calls: 2, inserted: 2, pending: 0 });
    expect((await usageRows(client.id)).map((r) => r.promptTokens)).toEqual([100, 300]);
    expect(await hourRollupSums(client.id)).toMatchObject({ calls: 2, tokensIn: 400 });
    expect(await extractedIds(client.id)).toEqual([1, 2, 3, 4]);
  });

  it("reads at most the per-sync limit, newest first, and the rest on the next syncs", async () => {
    const { server, client } = await setup([
      aiExecution(1, at(6), [[100, 10]]),
      aiExecution(2, at(5), [[200, 20]]),
      aiExecution(3, at(4), [[300, 30]]),
      plainExecution(4, at(3)),
    ]);
    const first = await syncClient(handle.db, { ...syncOptions(client), llmFetchLimit: 2 });
    expect(dataRequests(server).sort()).toEqual(["/api/v1/executions/2", "/api/v1/executions/3"]);
    expect(await runDetails(first.runId)).toMatchObject({ executionsFetched: 2, pending: 1 });

    const before = server.requests.length;
    const second = await syncClient(handle.db, { ...syncOptions(client), llmFetchLimit: 2 });
    expect(dataRequests(server, before)).toEqual(["/api/v1/executions/1"]);
    expect(await runDetails(second.runId)).toMatchObject({ executionsFetched: 1, pending: 0 });
    expect((await usageRows(client.id)).map((r) => r.promptTokens)).toEqual([100, 200, 300]);
    expect(await hourRollupSums(client.id)).toMatchObject({ calls: 3, tokensIn: 600 });
  });

  it("ends the sync as an error within a few requests when n8n stops answering run-data fetches", async () => {
    const executionsInput = Array.from({ length: 40 }, (_, i) => aiExecution(i + 1, at(6, i), [[100, 10]]));
    const { server, client } = await setup([...executionsInput, plainExecution(41, at(1))]);
    // Every run-data fetch fails; the list (/api/v1/executions) still answers.
    server.faults.serverErrors(10_000, 502, { path: "/api/v1/executions/" });

    const err = await syncClient(handle.db, syncOptions(client)).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(N8nError);
    expect((err as N8nError).message).toMatch(
      /^n8n stopped answering while run data was read .*: 40 executions still pending/,
    );

    // No new fetch starts once 3 failed in a row: the ones in flight finish, each with its retries.
    const fetches = dataRequests(server).length;
    expect(fetches).toBeGreaterThanOrEqual(LLM_FAILURES_IN_A_ROW * (LLM_FETCH_RETRIES + 1));
    expect(fetches).toBeLessThanOrEqual((LLM_FAILURES_IN_A_ROW + LLM_FETCH_CONCURRENCY) * (LLM_FETCH_RETRIES + 1));

    const [run] = await handle.db.select().from(syncRuns).where(eq(syncRuns.clientId, client.id));
    expect(run.status).toBe("error");
    expect(run.error).toContain("40 executions still pending");
    expect(run.finishedAt).not.toBeNull();
    // What the sync did before the failure is recorded with it.
    expect(run.executionsSeen).toBe(41);
    expect(run.executionsNew).toBe(41);
    expect((run.details as { llm: Record<string, unknown> }).llm).toMatchObject({ executionsFetched: 0, pending: 40 });
    expect(await extractedIds(client.id)).toEqual([41]);
  });
});
