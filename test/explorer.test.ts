import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { queryRows, type DatabaseHandle } from "@/lib/db/database";
import { GET as executionsGET } from "@/app/api/v1/metrics/executions/route";
import { listExecutions, type ExplorerQuery } from "@/lib/metrics/explorer";
import type { ExplorerResponse } from "@/lib/metrics/types";
import type { ExecutionStatus } from "@/lib/core/vocabulary";
import { createTestDatabase } from "./helpers/db";
import { callRoute, qs, useAsAppDatabase } from "./helpers/app-db";
import { createClient, createWorkflow, insertExecutions } from "./helpers/factories";
import { getCsv, getJson } from "./helpers/metrics-http";

const NOW = new Date("2026-11-20T12:00:00Z");
const HOUR = 3_600_000;
const STATUSES: ExecutionStatus[] = ["success", "success", "success", "error", "crashed", "canceled", "waiting"];
const MODES = ["trigger", "webhook", "manual", "retry"];

let handle: DatabaseHandle;
let clientId: number;
let otherClientId: number;
let workflowIds: number[];
let n8nWorkflowIds: string[];

/** Every id the filters should give, straight from SQL: the oracle the pages are compared with. */
async function expectedIds(where: string): Promise<number[]> {
  const rows = await queryRows<{ id: unknown }>(
    handle.db,
    sql`select n8n_execution_id as id from executions e
      where e.client_id = ${clientId} and ${sql.raw(where)} order by n8n_execution_id desc`,
  );
  return rows.map((r) => Number(r.id));
}

/** Every page of a query, following nextCursor; fails on a repeated id. */
async function allPages(q: Omit<ExplorerQuery, "clientId" | "cursor">, between?: () => Promise<void>) {
  const ids: number[] = [];
  let cursor: number | undefined;
  for (let page = 0; page < 100; page++) {
    const res = await listExecutions(handle.db, { clientId, ...q, cursor, now: NOW });
    ids.push(...res.items.map((i) => i.executionId));
    if (res.nextCursor === null) break;
    expect(res.items).toHaveLength(q.limit ?? 50);
    cursor = Number(res.nextCursor);
    await between?.();
  }
  expect(new Set(ids).size).toBe(ids.length);
  return ids;
}

beforeAll(async () => {
  handle = await createTestDatabase();
  useAsAppDatabase(handle);
  // A zone off UTC, so the hour-of-day filter is shown to read the client's clock.
  const client = await createClient(handle.db, {
    n8nBaseUrl: "https://n8n.example.com/api/v1/",
    timeZone: "Asia/Kolkata",
  });
  clientId = client.id;
  otherClientId = (await createClient(handle.db)).id;
  const workflows = await Promise.all(
    ["Orders", "Invoices", "Test import"].map((name, i) =>
      createWorkflow(handle.db, clientId, { name, n8nWorkflowId: `wf${i}` }),
    ),
  );
  workflowIds = workflows.map((w) => w.id);
  n8nWorkflowIds = workflows.map((w) => w.n8nWorkflowId);
  // 300 executions over 30 days, every combination of status, mode, workflow and class.
  for (const [w, workflowId] of workflowIds.entries()) {
    await insertExecutions(
      handle.db,
      { clientId, workflowId },
      Array.from({ length: 100 }, (_, i) => {
        const status = STATUSES[(i + w) % STATUSES.length];
        const mode = MODES[i % MODES.length];
        const excluded = mode === "manual" ? "manual" : w === 2 ? "test-name:test" : null;
        return {
          startedAt: new Date(NOW.getTime() - (i * 7 + w) * HOUR),
          status,
          mode,
          durationMs: status === "waiting" ? null : 100 * ((i * 37) % 50),
          isProduction: excluded === null,
          exclusionReason: excluded,
          errorMessage: status === "error" || status === "crashed" ? `Failed on row ${i}` : null,
          errorNode: status === "error" ? "HTTP Request" : null,
          errorType: status === "error" ? "NodeApiError" : null,
        };
      }),
    );
  }
  await insertExecutions(
    handle.db,
    { clientId: otherClientId, workflowId: (await createWorkflow(handle.db, otherClientId)).id },
    [{ startedAt: new Date(NOW.getTime() - HOUR) }],
  );
});

afterAll(async () => handle.close());

describe("executions explorer (lib)", () => {
  it.each([
    ["no filter", {}, "true"],
    ["failures", { status: ["error", "crashed"] as ExecutionStatus[] }, "e.status in ('error', 'crashed')"],
    ["one workflow", { workflowIdIndex: 1 }, "e.workflow_id = $w1"],
    ["modes", { mode: ["webhook", "retry"] }, "e.mode in ('webhook', 'retry')"],
    ["production", { class: "production" as const }, "e.is_production"],
    ["excluded", { class: "excluded" as const }, "not e.is_production"],
    ["a reason's kind", { reason: "test-name" }, "e.exclusion_reason like 'test-name:%'"],
    ["a whole reason", { reason: "manual" }, "e.exclusion_reason = 'manual'"],
    ["min duration", { minDurationMs: 3000 }, "e.duration_ms >= 3000"],
    ["a failing node", { node: "HTTP Request" }, "e.error_node = 'HTTP Request'"],
    ["an hour of the client's day", { hour: 5 }, "extract(hour from e.started_at at time zone 'Asia/Kolkata') = 5"],
    [
      "a time range",
      { start: new Date(NOW.getTime() - 100 * HOUR), end: new Date(NOW.getTime() - 20 * HOUR) },
      `e.started_at >= '${new Date(NOW.getTime() - 100 * HOUR).toISOString()}' and e.started_at < '${new Date(NOW.getTime() - 20 * HOUR).toISOString()}'`,
    ],
    [
      "last 24 hours",
      { timeframe: "24h" as const },
      `e.started_at >= '${new Date(NOW.getTime() - 24 * HOUR).toISOString()}'`,
    ],
    [
      "failures of one workflow, production only",
      { status: ["error"] as ExecutionStatus[], workflowIdIndex: 0, class: "production" as const },
      "e.status = 'error' and e.workflow_id = $w0 and e.is_production",
    ],
  ])("pages through %s exactly as SQL filters them, without gaps or repeats", async (_label, filter, where) => {
    const { workflowIdIndex, ...rest } = filter as typeof filter & { workflowIdIndex?: number };
    const q = {
      ...rest,
      workflowId: workflowIdIndex === undefined ? undefined : workflowIds[workflowIdIndex],
      limit: 7,
    };
    const expected = await expectedIds(where.replace(/\$w(\d)/g, (_, i) => String(workflowIds[Number(i)])));
    expect(expected.length).toBeGreaterThan(0);
    expect(await allPages(q)).toEqual(expected);
  });

  it("keeps its pages when newer executions arrive while paging", async () => {
    const before = await expectedIds("true");
    const arrived: number[] = [];
    const seen = await allPages({ limit: 40 }, async () => {
      const [row] = await insertExecutions(handle.db, { clientId, workflowId: workflowIds[0] }, [{ startedAt: NOW }]);
      arrived.push(row.n8nExecutionId);
    });
    expect(seen).toEqual(before);
    expect(Math.min(...arrived)).toBeGreaterThan(Math.max(...before));
    await handle.db.execute(sql`delete from executions where n8n_execution_id in (${sql.raw(arrived.join(","))})`);
  });

  it("answers every field, the error, and the link into n8n", async () => {
    const res = await listExecutions(handle.db, { clientId, status: ["error"], workflowId: workflowIds[1], limit: 1 });
    const [item] = res.items;
    const [row] = await queryRows<Record<string, unknown>>(
      handle.db,
      sql`select * from executions where client_id = ${clientId} and status = 'error' and workflow_id = ${workflowIds[1]}
        order by n8n_execution_id desc limit 1`,
    );
    expect(item).toEqual({
      executionId: Number(row.n8n_execution_id),
      workflowId: workflowIds[1],
      n8nWorkflowId: "wf1",
      workflowName: "Invoices",
      status: "error",
      mode: row.mode,
      isProduction: row.is_production,
      exclusionReason: row.exclusion_reason,
      startedAt: new Date(row.started_at as string).toISOString(),
      stoppedAt: new Date(row.stopped_at as string).toISOString(),
      durationMs: row.duration_ms,
      errorMessage: row.error_message,
      errorNode: "HTTP Request",
      errorType: "NodeApiError",
      n8nUrl: `https://n8n.example.com/workflow/${n8nWorkflowIds[1]}/executions/${Number(row.n8n_execution_id)}`,
    });
    expect(res.nextCursor).toBe(String(item.executionId));
    const one = await listExecutions(handle.db, { clientId, executionId: item.executionId });
    expect(one.items.map((i) => i.executionId)).toEqual([item.executionId]);
    expect(one.nextCursor).toBeNull();
  });
});

describe("GET /api/v1/metrics/executions", () => {
  it("serves the filters from the query string, and the CSV of the whole filtered list", async () => {
    const body = await getJson<ExplorerResponse>(executionsGET, "/api/v1/metrics/executions", {
      clientId,
      status: "error,crashed",
      limit: 5,
    });
    const expected = await expectedIds("e.status in ('error', 'crashed')");
    expect(body.items.map((i) => i.executionId)).toEqual(expected.slice(0, 5));
    expect(body.nextCursor).toBe(String(expected[4]));
    const next = await getJson<ExplorerResponse>(executionsGET, "/api/v1/metrics/executions", {
      clientId,
      status: "error,crashed",
      limit: 5,
      cursor: body.nextCursor ?? undefined,
    });
    expect(next.items.map((i) => i.executionId)).toEqual(expected.slice(5, 10));
    const csv = await getCsv(executionsGET, "/api/v1/metrics/executions", {
      clientId,
      status: "error,crashed",
      limit: 5,
    });
    expect(csv.rows.map((r) => Number(r.executionId))).toEqual(expected);
    expect(csv.header).toEqual(expect.arrayContaining(["executionId", "status", "errorMessage", "n8nUrl"]));
  });

  it.each([
    [{ status: "failed" }, "status: must be a comma-separated list of"],
    [{ mode: "cron" }, "mode: must be a comma-separated list of"],
    [{ class: "test" }, "class: must be one of all, production, excluded"],
    [{ start: "yesterday" }, "start: must be an ISO 8601 date"],
    [{ start: "2026-11-02T00:00:00Z", end: "2026-11-01T00:00:00Z" }, "end: must be after start"],
    [{ timeframe: "24h", start: "2026-11-01T00:00:00Z" }, "timeframe: give either timeframe or start/end"],
    [{ cursor: "abc" }, "cursor: must be the nextCursor of a previous page"],
    [{ limit: "500" }, "limit: must be an integer from 1 to 200"],
    [{ minDurationMs: "-1" }, "minDurationMs: must be an integer from 0 to"],
    [{ executionId: "1e3" }, "executionId: must be an n8n execution id"],
    [{ hour: "24" }, "hour: must be an hour of the day, 0 to 23"],
    [{ node: " " }, "node: must not be empty"],
  ])("answers 400 with a message for %j", async (params, message) => {
    const res = await callRoute(executionsGET, `/api/v1/metrics/executions?${qs({ clientId, ...params })}`);
    const body = await res.json();
    expect(res.status).toBe(400);
    expect(JSON.stringify(body)).toContain(message);
  });

  it("answers 404 for a client that does not exist, and never another client's runs", async () => {
    const res = await callRoute(executionsGET, `/api/v1/metrics/executions?${qs({ clientId: 999_999 })}`);
    expect(res.status).toBe(404);
    const other = await getJson<ExplorerResponse>(executionsGET, "/api/v1/metrics/executions", {
      clientId: otherClientId,
    });
    expect(other.items).toHaveLength(1);
    expect(other.items[0].workflowName).not.toMatch(/Orders|Invoices|Test import/);
  });
});
