import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/lib/db/database";
import { GET as errorsGET } from "@/app/api/v1/metrics/errors/route";
import { listExecutions } from "@/lib/metrics/explorer";
import type { TopErrorsResponse } from "@/lib/metrics/types";
import { createTestDatabase } from "./helpers/db";
import { callRoute, qs, useAsAppDatabase } from "./helpers/app-db";
import { createClient, createWorkflow, insertExecutions } from "./helpers/factories";
import { getCsv, getJson } from "./helpers/metrics-http";

const HOUR = 3_600_000;
const END = new Date(Date.now() - HOUR);
const START = new Date(END.getTime() - 7 * 24 * HOUR);
const TIMEOUT = "Request timed out after 30000 ms";
const NOT_FOUND = `The resource you are requesting could not be found ${"x".repeat(600)}`;

let handle: DatabaseHandle;
let clientId: number;
let workflows: Array<{ id: number; name: string }>;

beforeAll(async () => {
  handle = await createTestDatabase();
  useAsAppDatabase(handle);
  clientId = (await createClient(handle.db)).id;
  workflows = await Promise.all(["Orders", "Invoices"].map((name) => createWorkflow(handle.db, clientId, { name })));
  const at = (hoursAfterStart: number) => new Date(START.getTime() + hoursAfterStart * HOUR);
  const [orders, invoices] = workflows;
  await insertExecutions(handle.db, { clientId, workflowId: orders.id }, [
    // Five timeouts on the HTTP node, one of them crashed; two 404s on another node.
    // The type most of a group's runs had is the group's.
    ...[2, 10, 20, 30, 40].map((h, i) => ({
      startedAt: at(h),
      status: i === 4 ? ("crashed" as const) : ("error" as const),
      errorMessage: TIMEOUT,
      errorNode: "HTTP Request",
      errorType: i === 4 ? "WorkflowCrashedError" : "NodeApiError",
      errorReadAt: at(h),
    })),
    ...[5, 50].map((h) => ({
      startedAt: at(h),
      status: "error" as const,
      errorMessage: NOT_FOUND,
      errorNode: "Get order",
    })),
    // Not counted: a success, a manual (excluded) failure, one before the range; apart: one
    // whose run data held no message, two whose run data is still to be read.
    { startedAt: at(3), status: "success" as const },
    {
      startedAt: at(4),
      status: "error" as const,
      errorMessage: TIMEOUT,
      errorNode: "HTTP Request",
      isProduction: false,
    },
    {
      startedAt: new Date(START.getTime() - HOUR),
      status: "error" as const,
      errorMessage: TIMEOUT,
      errorNode: "HTTP Request",
    },
    { startedAt: at(6), status: "error" as const, errorReadAt: at(7) },
    { startedAt: at(8), status: "error" as const },
    { startedAt: at(9), status: "crashed" as const },
  ]);
  await insertExecutions(handle.db, { clientId, workflowId: invoices.id }, [
    { startedAt: at(7), status: "error" as const, errorMessage: TIMEOUT, errorNode: "HTTP Request" },
  ]);
});

afterAll(async () => handle.close());

describe("GET /api/v1/metrics/errors", () => {
  const range = () => ({ clientId, start: START.toISOString(), end: END.toISOString() });

  it("groups the range's failed production runs by workflow, node and message, most frequent first", async () => {
    const body = await getJson<TopErrorsResponse>(errorsGET, "/api/v1/metrics/errors", range());
    const at = (h: number) => new Date(START.getTime() + h * HOUR).toISOString();
    expect(body.errors).toEqual([
      {
        workflowId: workflows[0].id,
        workflowName: "Orders",
        node: "HTTP Request",
        message: TIMEOUT,
        type: "NodeApiError",
        failures: 5,
        firstSeen: at(2),
        lastSeen: at(40),
        lastExecutionId: expect.any(Number),
      },
      {
        workflowId: workflows[0].id,
        workflowName: "Orders",
        node: "Get order",
        message: NOT_FOUND.slice(0, 500),
        type: null,
        failures: 2,
        firstSeen: at(5),
        lastSeen: at(50),
        lastExecutionId: expect.any(Number),
      },
      expect.objectContaining({ workflowName: "Invoices", message: TIMEOUT, failures: 1 }),
    ]);
    expect(body.groups).toBe(3);
    expect(body.failuresWithoutMessage).toBe(1);
    expect(body.failuresPendingDetails).toBe(2);

    const one = await getJson<TopErrorsResponse>(errorsGET, "/api/v1/metrics/errors", {
      ...range(),
      workflowId: workflows[1].id,
      limit: 1,
    });
    expect(one.errors.map((e) => [e.workflowName, e.failures])).toEqual([["Invoices", 1]]);
    const csv = await getCsv(errorsGET, "/api/v1/metrics/errors", range());
    expect(csv.rows.map((r) => r.failures)).toEqual(["5", "2", "1"]);
  });

  it("hands the explorer what it needs to list a group's runs", async () => {
    const body = await getJson<TopErrorsResponse>(errorsGET, "/api/v1/metrics/errors", range());
    const [timeouts, notFound] = body.errors;
    for (const group of [timeouts, notFound]) {
      const runs = await listExecutions(handle.db, {
        clientId,
        status: ["error", "crashed"],
        class: "production",
        workflowId: group.workflowId,
        error: group.message,
        node: group.node ?? undefined,
        start: START,
        end: END,
      });
      expect(runs.items).toHaveLength(group.failures);
      expect(runs.items[0].executionId).toBe(group.lastExecutionId);
      expect(runs.items.every((i) => i.errorNode === group.node)).toBe(true);
    }
  });

  it("answers 404 for another client's workflow, as metrics/series does", async () => {
    const other = await createClient(handle.db);
    const res = await callRoute(
      errorsGET,
      `/api/v1/metrics/errors?${qs({ ...range(), clientId: other.id, workflowId: workflows[0].id })}`,
    );
    expect(res.status).toBe(404);
  });

  it.each([
    [{ limit: "0" }, "limit: must be an integer from 1 to 50"],
    [{ workflowId: "abc" }, "workflowId: must be a positive integer"],
    [{ start: "soon", end: undefined }, "start: must be an ISO 8601 date"],
  ])("answers 400 with a message for %j", async (params, message) => {
    const res = await callRoute(errorsGET, `/api/v1/metrics/errors?${qs({ ...range(), ...params })}`);
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain(message);
  });
});
