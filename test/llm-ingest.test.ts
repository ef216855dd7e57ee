import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import type { DatabaseHandle } from "@/lib/db/database";
import { llmUsage, rollupDirtyHours, rollups } from "@/lib/db/schema";
import { createApiToken } from "@/lib/accounts/tokens";
import { dataVersion } from "@/lib/metrics/cache";
import { runBackfillJob } from "@/lib/jobs";
import { refreshRollups } from "@/lib/ingest/rollups";
import { bucketStart } from "@/lib/ingest/rollups/buckets";
import type { LlmUsageResponse } from "@/lib/metrics/llm-usage-types";
import { POST as usageRoute } from "@/app/api/v1/usage/route";
import { POST as batchRoute } from "@/app/api/v1/usage/batch/route";
import { GET as llmUsageRoute } from "@/app/api/v1/metrics/llm-usage/route";
import { GET as allClientsRoute } from "@/app/api/v1/metrics/all/route";
import { GET as listPricesRoute, POST as addPriceRoute } from "@/app/api/v1/admin/model-prices/route";
import { createTestDatabase } from "./helpers/db";
import { callRoute, postJson, qs, useAsAppDatabase } from "./helpers/app-db";
import { signedInUser, type SignedIn } from "./helpers/auth";
import { createClient, createWorkflow } from "./helpers/factories";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// Recent, on an hour boundary: events must not lie in the future, rollups must be within retention.
const NOW = new Date(Math.floor(Date.now() / HOUR) * HOUR);
const ago = (ms: number) => new Date(NOW.getTime() - ms);

let handle: DatabaseHandle;
let admin: SignedIn;
beforeAll(async () => {
  handle = await createTestDatabase();
  useAsAppDatabase(handle);
  admin = await signedInUser(handle.db, "admin");
});
afterAll(() => handle.close());

type Body = Record<string, unknown>;

const post = (
  route: typeof usageRoute,
  path: string,
  body: unknown,
  token?: string | null,
  headers: Record<string, string> = {},
) => postJson(route, path, body, { token, headers });

/** A JSON POST and what it answered: the status and the parsed body. */
async function postRead(route: typeof usageRoute, path: string, body: unknown, token?: string | null) {
  const res = await post(route, path, body, token);
  return { status: res.status, body: (await res.json()) as Body };
}

const usageOf = (clientId: number) =>
  handle.db
    .select()
    .from(llmUsage)
    .where(eq(llmUsage.clientId, clientId))
    .orderBy(asc(llmUsage.occurredAt), asc(llmUsage.id));

async function setup() {
  const client = await createClient(handle.db);
  const workflow = await createWorkflow(handle.db, client.id, { n8nWorkflowId: "n8n-wf-1", name: "Ticket summaries" });
  const event = (extra: Body = {}): Body => ({
    clientId: client.id,
    workflowId: "n8n-wf-1",
    model: "gpt-4o-mini",
    provider: "OpenAI",
    promptTokens: 1000,
    completionTokens: 500,
    reason: "summary",
    timestamp: ago(2 * HOUR).toISOString(),
    ...extra,
  });
  return { client, workflow, event };
}

async function usageApi(clientId: number, timeframe = "7d"): Promise<LlmUsageResponse> {
  const res = await callRoute(llmUsageRoute, `/api/v1/metrics/llm-usage?${qs({ clientId, timeframe })}`);
  expect(res.status).toBe(200);
  return (await res.json()) as LlmUsageResponse;
}

describe("POST /api/v1/usage", () => {
  it("stores one event, mapped to its workflow and priced from the catalog; a retry counts once", async () => {
    const { client, workflow, event } = await setup();
    const first = await postRead(usageRoute, "/api/v1/usage", event());
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ accepted: 1, duplicates: 0, idempotencyKey: expect.stringMatching(/^sha256:/) });
    // gpt-4o-mini: $0.15 / $0.60 per million tokens.
    expect(first.body.costUsd).toBeCloseTo((1000 * 0.15 + 500 * 0.6) / 1e6, 9);

    const version = await dataVersion(handle.db, client.id);
    const retry = await postRead(usageRoute, "/api/v1/usage", event());
    expect(retry.body).toMatchObject({ accepted: 0, duplicates: 1, idempotencyKey: first.body.idempotencyKey });
    // Cached metrics answers are recomputed after an accepted event, not after a duplicate.
    expect(await dataVersion(handle.db, client.id)).toBe(version);

    const rows = await usageOf(client.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      workflowId: workflow.id,
      provider: "openai",
      model: "gpt-4o-mini",
      promptTokens: 1000,
      completionTokens: 500,
      totalTokens: 1500,
      source: "ingest",
      costSource: "catalog",
      reason: "summary",
    });
    await postRead(usageRoute, "/api/v1/usage", event({ idempotencyKey: "another-call" }));
    expect(await dataVersion(handle.db, client.id)).not.toBe(version);
  });

  it("counts events with the same idempotency key once, whatever their content", async () => {
    const { client, event } = await setup();
    const a = await postRead(usageRoute, "/api/v1/usage", event({ idempotencyKey: "call-42" }));
    const b = await postRead(usageRoute, "/api/v1/usage", event({ idempotencyKey: "call-42", promptTokens: 7 }));
    expect([a.body, b.body]).toMatchObject([
      { accepted: 1, duplicates: 0, idempotencyKey: "call-42" },
      { accepted: 0, duplicates: 1, idempotencyKey: "call-42" },
    ]);
    expect((await usageOf(client.id)).map((r) => r.promptTokens)).toEqual([1000]);
  });

  it("answers 400 naming the field, 401 without credentials, 404 for another client's token", async () => {
    const { client, event } = await setup();
    const other = await createClient(handle.db);
    const otherToken = (await createApiToken(handle.db, { name: "other", clientId: other.id }, null)).token;

    const bad = await postRead(usageRoute, "/api/v1/usage", event({ promptTokens: -3 }));
    expect(bad).toEqual({
      status: 400,
      body: { error: { code: "bad_request", message: "promptTokens: must not be negative" } },
    });
    const noTime = await postRead(usageRoute, "/api/v1/usage", event({ timestamp: "yesterday" }));
    expect(noTime.body.error).toMatchObject({
      message: expect.stringContaining("timestamp: must be an ISO 8601 date-time"),
    });
    // Older than raw retention: those hours are frozen in the rollups, so it is refused.
    const tooOld = await postRead(usageRoute, "/api/v1/usage", event({ timestamp: ago(91 * DAY).toISOString() }));
    expect(tooOld.body.error).toEqual({
      code: "bad_request",
      message: "timestamp: must be within the last 90 days (RETENTION_RAW_DAYS)",
    });
    const overflow = await postRead(
      usageRoute,
      "/api/v1/usage",
      event({ promptTokens: 2_000_000_000, completionTokens: 2_000_000_000 }),
    );
    expect(overflow.body.error).toEqual({
      code: "bad_request",
      message: "totalTokens: promptTokens + completionTokens is too large",
    });
    expect((await post(usageRoute, "/api/v1/usage", event(), null)).status).toBe(401);
    const scoped = await postRead(usageRoute, "/api/v1/usage", event(), otherToken);
    expect(scoped).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
    expect(await usageOf(client.id)).toEqual([]);

    // The client's own token may post for it.
    const ownToken = (await createApiToken(handle.db, { name: "own", clientId: client.id }, null)).token;
    expect((await postRead(usageRoute, "/api/v1/usage", event(), ownToken)).body).toMatchObject({ accepted: 1 });
  });
});

describe("POST /api/v1/usage/batch", () => {
  it("stores the valid events together and reports each invalid one by index and field", async () => {
    const { client, event } = await setup();
    const result = await postRead(batchRoute, "/api/v1/usage/batch", {
      events: [
        event({ promptTokens: 20 }),
        event({ promptTokens: -1 }),
        event({ timestamp: undefined }),
        event({ model: "" }),
        event({ promptTokens: 20, costUsd: 0.25 }),
        "not an event",
        event({ promptTokens: 20 }), // the same as the first: counted once
        event({ clientId: 2_000_000 }),
      ],
    });
    expect(result).toEqual({
      status: 200,
      body: {
        accepted: 2,
        duplicates: 1,
        rejected: 5,
        errors: [
          { index: 1, message: "promptTokens: must not be negative" },
          { index: 2, message: "timestamp: is required (ISO 8601)" },
          { index: 3, message: "model: must not be empty" },
          { index: 5, message: expect.stringMatching(/^event: /) },
          { index: 7, message: "clientId: not found" },
        ],
      },
    });
    const rows = await usageOf(client.id);
    expect(rows.map((r) => [r.promptTokens, r.costMicroUsd, r.costSource])).toEqual([
      [20, 20 * 0.15 + 500 * 0.6, "catalog"],
      [20, 250_000, "explicit"],
    ]);
  });

  it("refuses more than 1000 events, or none, as a whole", async () => {
    const { client, event } = await setup();
    const many = await postRead(batchRoute, "/api/v1/usage/batch", {
      events: Array.from({ length: 1001 }, (_, i) => event({ promptTokens: i })),
    });
    expect(many).toEqual({
      status: 400,
      body: { error: { code: "bad_request", message: "events: must hold at most 1000 events" } },
    });
    expect((await postRead(batchRoute, "/api/v1/usage/batch", { events: [] })).status).toBe(400);
    expect((await postRead(batchRoute, "/api/v1/usage/batch", {})).status).toBe(400);
    expect(await usageOf(client.id)).toEqual([]);

    const full = await postRead(batchRoute, "/api/v1/usage/batch", {
      events: Array.from({ length: 1000 }, (_, i) => event({ promptTokens: i })),
    });
    expect(full.body).toMatchObject({ accepted: 1000, rejected: 0 });
  });

  it("lets a client token post only for its own client, per event; anonymous callers get 401", async () => {
    const { client, event } = await setup();
    const other = await setup();
    const token = (await createApiToken(handle.db, { name: "a", clientId: client.id }, null)).token;
    const result = await postRead(batchRoute, "/api/v1/usage/batch", { events: [event(), other.event()] }, token);
    expect(result.body).toEqual({
      accepted: 1,
      duplicates: 0,
      rejected: 1,
      errors: [{ index: 1, message: "clientId: not found" }],
    });
    expect(await usageOf(other.client.id)).toEqual([]);
    expect((await post(batchRoute, "/api/v1/usage/batch", { events: [event()] }, null)).status).toBe(401);
    // A signed-in operator is not an ingester; an admin session is.
    const operator = await signedInUser(handle.db, "operator");
    expect(
      (await post(batchRoute, "/api/v1/usage/batch", { events: [event()] }, null, { cookie: operator.cookie })).status,
    ).toBe(403);
    const asAdmin = await post(batchRoute, "/api/v1/usage/batch", { events: [event({ promptTokens: 3 })] }, null, {
      cookie: admin.cookie,
    });
    expect(await asAdmin.json()).toMatchObject({ accepted: 1 });
  });
});

describe("ingested usage in metrics and rollups", () => {
  it("shows in llm-usage (unknown models flagged unpriced) and in the rollups after a refresh", async () => {
    const { client, workflow, event } = await setup();
    const t = ago(26 * HOUR + 5 * 60_000);
    await postRead(batchRoute, "/api/v1/usage/batch", {
      events: [
        event({ timestamp: t.toISOString() }),
        event({
          model: "in-house-llm-7b",
          provider: "self",
          promptTokens: 300,
          completionTokens: 100,
          timestamp: t.toISOString(),
        }),
        event({ workflowId: "not-synced-yet", promptTokens: 50, completionTokens: 5, costUsd: 0.001 }),
      ],
    });

    const usage = await usageApi(client.id);
    expect(usage.totals).toMatchObject({
      calls: 3,
      promptTokens: 1350,
      completionTokens: 605,
      unpricedCalls: 1,
      estimatedTokenShare: 0,
    });
    expect(usage.byModel).toEqual([
      {
        provider: "openai",
        model: "gpt-4o-mini",
        calls: 2,
        promptTokens: 1050,
        completionTokens: 505,
        totalTokens: 1555,
        costUsd: 0.00145,
        unpricedCalls: 0,
        priced: true,
      },
      {
        provider: "self",
        model: "in-house-llm-7b",
        calls: 1,
        promptTokens: 300,
        completionTokens: 100,
        totalTokens: 400,
        costUsd: null,
        unpricedCalls: 1,
        priced: false,
      },
    ]);
    expect(usage.byWorkflow.map((w) => [w.workflowId, w.workflowName, w.totalTokens, w.costUsd])).toEqual([
      [workflow.id, "Ticket summaries", 1900, 0.00045],
      [null, null, 55, 0.001],
    ]);
    expect(usage.granularity).toBe("hour");
    expect(usage.costOverTime).toHaveLength(7 * 24 + 1);

    // Answers are cached until the data changes: an ingested event is a change.
    await postRead(
      usageRoute,
      "/api/v1/usage",
      event({ workflowId: null, promptTokens: 1, completionTokens: 1, costUsd: 0 }),
    );
    expect((await usageApi(client.id)).totals.calls).toBe(4);

    const csv = await callRoute(
      llmUsageRoute,
      `/api/v1/metrics/llm-usage?${qs({ clientId: client.id, format: "csv", table: "model" })}`,
    );
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const lines = (await csv.text()).trim().split("\r\n");
    expect(lines[0]).toBe(
      "provider,model,calls,promptTokens,completionTokens,totalTokens,costUsd,unpricedCalls,priced",
    );
    expect(lines[2]).toBe("self,in-house-llm-7b,1,300,100,400,,1,false");

    // Without an execution the usage counts; only the workflow-attributed rows have a bucket.
    const refresh = await refreshRollups(handle.db, { clientId: client.id });
    expect(refresh).toMatchObject({ hourBuckets: 1, keysDrained: 1 });
    const [hour] = await handle.db
      .select()
      .from(rollups)
      .where(and(eq(rollups.clientId, client.id), eq(rollups.granularity, "hour")));
    expect(hour).toMatchObject({
      workflowId: workflow.id,
      bucketStart: bucketStart(t, "hour"),
      total: 0,
      llmCalls: 2,
      tokensIn: 1300,
      tokensOut: 600,
      costMicroUsd: 450,
    });
    expect(await handle.db.select().from(rollupDirtyHours).where(eq(rollupDirtyHours.clientId, client.id))).toEqual([]);
    expect(await refreshRollups(handle.db, { clientId: client.id })).toMatchObject({ hourBuckets: 0 });

    // The operator overview shows the rollups' cost; a client without LLM calls has none.
    const idle = await createClient(handle.db);
    const all = (await (await callRoute(allClientsRoute, "/api/v1/metrics/all?timeframe=7d")).json()) as {
      clients: Body[];
    };
    expect(all.clients.find((c) => c.clientId === client.id)?.llmCostUsd).toBe(0.00045);
    expect(all.clients.find((c) => c.clientId === idle.id)?.llmCostUsd).toBeNull();
  });
});

describe("model prices and recomputeCosts", () => {
  it("re-prices past usage per effective date, keeps explicit costs, and rebuilds the rollups", async () => {
    const { client, workflow, event } = await setup();
    const model = "acme-reasoner-1";
    const early = ago(10 * DAY);
    const late = ago(2 * DAY);
    await postRead(batchRoute, "/api/v1/usage/batch", {
      events: [
        event({
          model,
          provider: "acme",
          promptTokens: 1_000_000,
          completionTokens: 100_000,
          timestamp: early.toISOString(),
        }),
        event({ model, provider: "acme", promptTokens: 2_000_000, completionTokens: 0, timestamp: late.toISOString() }),
        event({
          model,
          provider: "acme",
          promptTokens: 5,
          completionTokens: 5,
          costUsd: 0.75,
          timestamp: late.toISOString(),
        }),
      ],
    });
    await refreshRollups(handle.db, { clientId: client.id });
    expect((await usageOf(client.id)).map((r) => r.costMicroUsd)).toEqual([null, null, 750_000]);

    const addPrice = (body: Body, cookie = admin.cookie) =>
      postJson(addPriceRoute, "/api/v1/admin/model-prices", body, { token: null, headers: { cookie } });
    const first = await addPrice({
      model,
      inputPerMillionUsd: 1,
      outputPerMillionUsd: 4,
      effectiveFrom: ago(20 * DAY).toISOString(),
    });
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ model, provider: null, inputPerMillionUsd: 1, outputPerMillionUsd: 4 });
    expect(
      (
        await addPrice({
          model,
          provider: "acme",
          inputPerMillionUsd: 3,
          outputPerMillionUsd: 4,
          effectiveFrom: ago(5 * DAY).toISOString(),
        })
      ).status,
    ).toBe(201);
    expect(
      (await addPrice({ model, inputPerMillionUsd: -1, outputPerMillionUsd: 4, effectiveFrom: NOW.toISOString() }))
        .status,
    ).toBe(400);
    const list = await callRoute(
      listPricesRoute,
      "/api/v1/admin/model-prices",
      {},
      { token: null, headers: { cookie: admin.cookie } },
    );
    expect(
      ((await list.json()) as { prices: Body[] }).prices
        .filter((p) => p.model === model)
        .map((p) => p.inputPerMillionUsd),
    ).toEqual([1, 3]);
    // Tokens never administer.
    expect((await callRoute(listPricesRoute, "/api/v1/admin/model-prices")).status).toBe(403);

    // A dry run counts, writes nothing.
    const dry = await runBackfillJob(handle.db, {
      trigger: "manual",
      clientId: client.id,
      days: 30,
      recomputeCosts: true,
      dryRun: true,
    });
    expect(dry.details.costs).toEqual({ repriced: 2, changed: 2 });
    expect((await usageOf(client.id)).map((r) => r.costMicroUsd)).toEqual([null, null, 750_000]);

    const run = await runBackfillJob(handle.db, {
      trigger: "manual",
      clientId: client.id,
      days: 30,
      recomputeCosts: true,
    });
    expect(run.details.costs).toEqual({ repriced: 2, changed: 2 });
    // Each call at the price of its time: $1/$4 before the acme price, $3 after it.
    expect((await usageOf(client.id)).map((r) => [r.costMicroUsd, r.costSource])).toEqual([
      [1_000_000 + 400_000, "override"],
      [6_000_000, "override"],
      [750_000, "explicit"],
    ]);
    const hours = await handle.db
      .select({ bucketStart: rollups.bucketStart, cost: rollups.costMicroUsd })
      .from(rollups)
      .where(and(eq(rollups.clientId, client.id), eq(rollups.workflowId, workflow.id), eq(rollups.granularity, "hour")))
      .orderBy(asc(rollups.bucketStart));
    expect(hours).toEqual([
      { bucketStart: bucketStart(early, "hour"), cost: 1_400_000 },
      { bucketStart: bucketStart(late, "hour"), cost: 6_750_000 },
    ]);
    const usage = await usageApi(client.id, "30d");
    expect(usage.totals).toMatchObject({ calls: 3, costUsd: 8.15, unpricedCalls: 0 });
    expect(usage.byModel[0]).toMatchObject({ model, priced: true });

    // Nothing changes the second time.
    const again = await runBackfillJob(handle.db, {
      trigger: "manual",
      clientId: client.id,
      days: 30,
      recomputeCosts: true,
    });
    expect(again.details.costs).toEqual({ repriced: 2, changed: 0 });
  });
});
