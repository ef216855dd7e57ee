import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { and, asc, eq } from "drizzle-orm";
import type { DatabaseHandle } from "@/lib/db/database";
import { executions, syncRuns } from "@/lib/db/schema";
import { extractErrorDetails, ERROR_MESSAGE_MAX } from "@/lib/ingest/errors/extract";
import { N8nError } from "@/lib/n8n";
import { RUN_DATA_RETRIES } from "@/lib/ingest/collect/run-data-fetch";
import { InMemorySource, type FakeExecutionInput, type FakeN8n } from "@/lib/n8n/fake";
import { GET as errorsRoute } from "@/app/api/v1/metrics/errors/route";
import { GET as explorerRoute } from "@/app/api/v1/metrics/executions/route";
import { createTestDatabase } from "./helpers/db";
import { callRoute, qs, useAsAppDatabase } from "./helpers/app-db";
import { syncHarness } from "./helpers/sync-harness";

/**
 * Fixtures: executions as GET /executions/{id}?includeData=true answers them, built on a
 * real n8n 2.40 capture (../shared/n8n/real/ai-chat-completions.json: its top-level fields,
 * the webhook's run and the LLM chain's nodes) with the error shapes n8n writes: the
 * error's fields spread with its node (workflow-execute.ts), the toJSON form without one,
 * a crash recovered by n8n (WorkflowCrashedError), and an error only on the node's run.
 */
const fixture = (name: string) =>
  JSON.parse(readFileSync(path.join(import.meta.dirname, "fixtures/n8n-errors", `${name}.json`), "utf8"));
const realCapture = () =>
  JSON.parse(readFileSync(path.join(import.meta.dirname, "../../shared/n8n/real/ai-chat-completions.json"), "utf8"));

describe("error details from run data", () => {
  it.each([
    [
      "http-404",
      { message: "The resource you are requesting could not be found", node: "HTTP Request", type: "NodeApiError" },
    ],
    // The error names the chat model (a sub-node), although the chain ran last.
    [
      "llm-rate-limit",
      {
        message: "The service is receiving too many requests from you",
        node: "OpenAI Chat Model",
        type: "NodeApiError",
      },
    ],
    [
      "crashed",
      {
        message: "Workflow did not finish, possible out-of-memory issue",
        node: "HTTP Request",
        type: "WorkflowCrashedError",
      },
    ],
    [
      "code-tojson",
      {
        message: "Cannot read properties of undefined (reading 'email') [line 3]",
        node: "Code",
        type: "NodeOperationError",
      },
    ],
    ["node-run-only", { message: "Order total is negative", node: "Stop and Error", type: "NodeOperationError" }],
  ])("reads %s", (name, expected) => {
    expect(extractErrorDetails(fixture(name).data)).toEqual(expected);
  });

  it("finds nothing in a real successful execution, and never throws on odd data", () => {
    expect(extractErrorDetails(realCapture().data)).toEqual({ message: null, node: "Basic LLM Chain", type: null });
    for (const odd of [undefined, null, "text", [], { resultData: { error: "boom" } }, { resultData: [] }])
      expect(extractErrorDetails(odd)).toEqual({ message: null, node: null, type: null });
  });

  it("falls back to the description for an empty message and caps long messages", () => {
    const data = (error: unknown) => ({ resultData: { runData: {}, lastNodeExecuted: "Trigger", error } });
    expect(extractErrorDetails(data({ message: "", description: "Webhook not registered", name: "X" }))).toEqual({
      message: "Webhook not registered",
      node: "Trigger",
      type: "X",
    });
    const long = extractErrorDetails(data({ message: "x".repeat(ERROR_MESSAGE_MAX + 500) }));
    expect(long.message).toHaveLength(ERROR_MESSAGE_MAX);
    // What PostgreSQL refuses never reaches it: NUL, and a UTF-16 pair cut in half.
    const emoji = extractErrorDetails(data({ message: `${"x".repeat(ERROR_MESSAGE_MAX - 1)}😀 tail` }));
    expect(emoji.message).toBe("x".repeat(ERROR_MESSAGE_MAX - 1));
    expect(extractErrorDetails(data({ message: "bad\u0000byte \ud800 here" })).message).toBe("badbyte \ufffd here");
  });
});

const KEY = "test-key";
const HOUR = 3_600_000;
const NOW = new Date(Math.floor(Date.now() / HOUR) * HOUR);
const at = (hoursAgo: number, minutes = 0) => new Date(NOW.getTime() - hoursAgo * HOUR + minutes * 60_000);

const WORKFLOWS = [
  {
    id: "wf-ai",
    name: "Support bot",
    nodes: [
      { name: "Webhook", type: "n8n-nodes-base.webhook" },
      { name: "OpenAI Chat Model", type: "@n8n/n8n-nodes-langchain.lmChatOpenAi", parameters: { model: "gpt-4o" } },
    ],
  },
  {
    id: "wf-invoices",
    name: "Invoice sync",
    nodes: [
      { name: "Schedule Trigger", type: "n8n-nodes-base.scheduleTrigger" },
      { name: "HTTP Request", type: "n8n-nodes-base.httpRequest" },
    ],
  },
];

/** A failed run whose run data says `message` failed at the HTTP Request node (spread form). */
function failed(id: number, start: Date, message: string, extra: Partial<FakeExecutionInput> = {}): FakeExecutionInput {
  const error = { ...fixture("http-404").data.resultData.error, message, timestamp: start.getTime() };
  return {
    id,
    workflowId: "wf-invoices",
    status: "error",
    mode: "trigger",
    startedAt: start,
    stoppedAt: new Date(start.getTime() + 1500),
    data: { resultData: { runData: {}, lastNodeExecuted: "HTTP Request", error } },
    ...extra,
  };
}

const succeeded = (id: number, start: Date): FakeExecutionInput => ({
  id,
  workflowId: "wf-invoices",
  status: "success",
  mode: "trigger",
  startedAt: start,
  stoppedAt: new Date(start.getTime() + 900),
});

let handle: DatabaseHandle;
const harness = syncHarness(() => handle.db, { apiKey: KEY, now: NOW });
beforeAll(async () => {
  handle = await createTestDatabase();
  useAsAppDatabase(handle);
});
afterAll(async () => {
  await harness.close();
  await handle.close();
});

/** Paths of the requests that asked for run data, from request `from` on. */
const dataRequests = (server: FakeN8n, from = 0) =>
  server.requests
    .slice(from)
    .filter((r) => r.query.includeData === "true")
    .map((r) => r.path)
    .sort();

async function stored(clientId: number) {
  return handle.db
    .select({
      id: executions.n8nExecutionId,
      message: executions.errorMessage,
      node: executions.errorNode,
      type: executions.errorType,
      read: executions.errorReadAt,
    })
    .from(executions)
    .where(eq(executions.clientId, clientId))
    .orderBy(asc(executions.n8nExecutionId));
}

async function errorDetails(runId: number) {
  const [run] = await handle.db.select({ details: syncRuns.details }).from(syncRuns).where(eq(syncRuns.id, runId));
  return (run.details as { errors: Record<string, unknown> }).errors;
}

describe("error details during a sync", () => {
  it("reads each failed production execution once, stores its error, and groups and lists it", async () => {
    const { server, client } = await harness.setup(
      new InMemorySource({
        workflows: WORKFLOWS,
        executions: [
          failed(1, at(5), "Validation error: ContactID is not a valid GUID"),
          succeeded(2, at(4)),
          failed(3, at(3), "Validation error: ContactID is not a valid GUID"),
          // A manual run from the editor is not production: its error is not read.
          failed(4, at(2), "Manual test failed", { mode: "manual" }),
          failed(5, at(1), "The service is receiving too many requests from you"),
          // n8n holds no error for this one: read once, stored without a message.
          { ...succeeded(6, at(0, -30)), status: "crashed", data: { resultData: { runData: {} } } },
        ],
      }),
    );
    const run = await harness.sync(client);

    // One request each, with data, for the failed production runs only; the list never with data.
    expect(dataRequests(server)).toEqual([
      "/api/v1/executions/1",
      "/api/v1/executions/3",
      "/api/v1/executions/5",
      "/api/v1/executions/6",
    ]);
    const rows = await stored(client.id);
    expect(rows.map(({ read, ...r }) => ({ ...r, read: read !== null }))).toEqual([
      {
        id: 1,
        message: "Validation error: ContactID is not a valid GUID",
        node: "HTTP Request",
        type: "NodeApiError",
        read: true,
      },
      { id: 2, message: null, node: null, type: null, read: false },
      {
        id: 3,
        message: "Validation error: ContactID is not a valid GUID",
        node: "HTTP Request",
        type: "NodeApiError",
        read: true,
      },
      { id: 4, message: null, node: null, type: null, read: false },
      {
        id: 5,
        message: "The service is receiving too many requests from you",
        node: "HTTP Request",
        type: "NodeApiError",
        read: true,
      },
      { id: 6, message: null, node: null, type: null, read: true },
    ]);
    expect(await errorDetails(run.runId)).toMatchObject({ executionsFetched: 4, withMessage: 3, pending: 0, gone: 0 });

    // A second sync reads nothing again.
    const before = server.requests.length;
    await harness.sync(client);
    expect(dataRequests(server, before)).toEqual([]);

    // Grouped: the most frequent message first, with its count and newest run.
    const range = { clientId: client.id, start: at(24).toISOString(), end: NOW.toISOString() };
    const top = await (await callRoute(errorsRoute, `/api/v1/metrics/errors?${qs(range)}`)).json();
    expect(top.errors.map((e: any) => [e.message, e.node, e.type, e.failures, e.lastExecutionId])).toEqual([
      ["Validation error: ContactID is not a valid GUID", "HTTP Request", "NodeApiError", 2, 3],
      ["The service is receiving too many requests from you", "HTTP Request", "NodeApiError", 1, 5],
    ]);
    expect(top).toMatchObject({ failuresWithoutMessage: 1, failuresPendingDetails: 0 });

    // The explorer lists the message, node and type with each run.
    const list = await (
      await callRoute(explorerRoute, `/api/v1/metrics/executions?${qs({ ...range, status: "error" })}`)
    ).json();
    expect(list.items.find((i: any) => i.executionId === 5)).toMatchObject({
      errorMessage: "The service is receiving too many requests from you",
      errorNode: "HTTP Request",
      errorType: "NodeApiError",
    });
  });

  it("reads a failed AI execution once, for its usage and its error together", async () => {
    const rateLimited = fixture("llm-rate-limit");
    const { server, client } = await harness.setup(
      new InMemorySource({
        workflows: WORKFLOWS,
        executions: [{ ...failed(1, at(2), "unused"), workflowId: "wf-ai", data: rateLimited.data }],
      }),
    );
    const run = await harness.sync(client);
    expect(dataRequests(server)).toEqual(["/api/v1/executions/1"]);
    expect((await stored(client.id)).map(({ read, ...r }) => ({ ...r, read: read !== null }))).toEqual([
      {
        id: 1,
        message: "The service is receiving too many requests from you",
        node: "OpenAI Chat Model",
        type: "NodeApiError",
        read: true,
      },
    ]);
    expect(await errorDetails(run.runId)).toMatchObject({ executionsFetched: 0, pending: 0 });
  });

  it("stores a message holding what PostgreSQL refuses (a NUL from a binary body) instead of failing the page", async () => {
    const { client } = await harness.setup(
      new InMemorySource({ workflows: WORKFLOWS, executions: [failed(1, at(2), "Unexpected byte \u0000 in body")] }),
    );
    const run = await harness.sync(client);
    expect((await stored(client.id)).map((r) => r.message)).toEqual(["Unexpected byte  in body"]);
    expect(await errorDetails(run.runId)).toMatchObject({ executionsFetched: 1, withMessage: 1, pending: 0 });
  });

  it("reads at most the per-sync limit, newest first, and says how many are left", async () => {
    const { server, client } = await harness.setup(
      new InMemorySource({
        workflows: WORKFLOWS,
        executions: [failed(1, at(4), "a"), failed(2, at(3), "b"), failed(3, at(2), "c")],
      }),
    );
    const first = await harness.sync(client, { errorFetchLimit: 2 });
    expect(dataRequests(server)).toEqual(["/api/v1/executions/2", "/api/v1/executions/3"]);
    expect(await errorDetails(first.runId)).toMatchObject({ executionsFetched: 2, pending: 1 });

    const range = { clientId: client.id, start: at(24).toISOString(), end: NOW.toISOString() };
    const top = await (await callRoute(errorsRoute, `/api/v1/metrics/errors?${qs(range)}`)).json();
    expect(top).toMatchObject({ groups: 2, failuresWithoutMessage: 0, failuresPendingDetails: 1 });

    const before = server.requests.length;
    const second = await harness.sync(client, { errorFetchLimit: 2 });
    expect(dataRequests(server, before)).toEqual(["/api/v1/executions/1"]);
    expect(await errorDetails(second.runId)).toMatchObject({ executionsFetched: 1, pending: 0 });
    expect((await stored(client.id)).map((r) => r.message)).toEqual(["a", "b", "c"]);
  });

  it("marks one n8n has pruned since as read, and leaves a failed fetch for the next sync", async () => {
    const source = new InMemorySource({
      workflows: WORKFLOWS,
      executions: [failed(1, at(3), "pruned before read"), failed(2, at(2), "read on a later sync")],
    });
    const { server, client } = await harness.setup(source);
    // Stored by a sync that reads no errors; then n8n prunes execution 1, and the next
    // fetch of execution 2 fails through its retries.
    await harness.sync(client, { errorFetchLimit: 0 });
    source.removeExecution(1);
    server.faults.serverErrors(1 + RUN_DATA_RETRIES, 502, { path: "/api/v1/executions/2" });
    const run = await harness.sync(client);
    expect(await errorDetails(run.runId)).toMatchObject({
      executionsFetched: 0,
      gone: 1,
      fetchFailures: 1,
      pending: 1,
    });

    const later = await harness.sync(client);
    expect(await errorDetails(later.runId)).toMatchObject({ executionsFetched: 1, pending: 0 });
    const rows = await stored(client.id);
    expect(rows.map((r) => [r.id, r.message, r.read !== null])).toEqual([
      [1, null, true],
      [2, "read on a later sync", true],
    ]);
  });

  it("ends the sync as an error within a few requests when n8n stops answering, keeping the rest pending", async () => {
    const { server, client } = await harness.setup(
      new InMemorySource({
        workflows: WORKFLOWS,
        executions: Array.from({ length: 30 }, (_, i) => failed(i + 1, at(5, i), `failure ${i + 1}`)),
      }),
    );
    server.faults.serverErrors(10_000, 502, { path: "/api/v1/executions/" });
    const err = await harness.sync(client).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(N8nError);
    expect((err as N8nError).message).toMatch(
      /^n8n stopped answering while error details were read .*: 30 executions still pending/,
    );
    const pending = await handle.db
      .select({ id: executions.n8nExecutionId })
      .from(executions)
      .where(and(eq(executions.clientId, client.id), eq(executions.status, "error")));
    expect(pending).toHaveLength(30);
    expect((await stored(client.id)).every((r) => r.read === null)).toBe(true);
  });
});
