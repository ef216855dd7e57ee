import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { InngestTestEngine } from "@inngest/test";
import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "@/lib/db/database";
import { clients, executions, syncRuns } from "@/lib/db/schema";
import { queueRun } from "@/lib/runs/record";
import { reclassify } from "@/inngest/functions/reclassify";
import { syncClientFn } from "@/inngest/functions/sync-client";
import { n8nApiKeyOf } from "@/lib/clients/connection";
import { listActiveClientIds } from "@/lib/ingest/collect";
import { runRollupJob } from "@/lib/jobs";
import { backgroundJobsSettled } from "@/lib/jobs/dispatch";
import { InMemorySource, startFakeN8n, type FakeExecutionInput, type FakeN8n } from "@/lib/n8n/fake";
import type { AdminClient, RunView, SchedulerStatusView } from "@/lib/metrics/status/types";
import type { AdminClientView, UpdatedAdminClient } from "@/lib/api/admin-client-view";
import type { ConnectionTest } from "@/lib/clients/test-connection";
import type { RulesPreview } from "@/lib/ingest/classify/preview";
import type { ExplainedRulesPreview } from "@/lib/jobs/preview-rules";
import * as clientsRoute from "@/app/api/v1/admin/clients/route";
import * as clientRoute from "@/app/api/v1/admin/clients/[id]/route";
import * as clientTestRoute from "@/app/api/v1/admin/clients/[id]/test-connection/route";
import * as newTestRoute from "@/app/api/v1/admin/test-connection/route";
import * as previewRoute from "@/app/api/v1/admin/clients/[id]/rules/preview/route";
import * as rulesRoute from "@/app/api/v1/admin/clients/[id]/rules/route";
import * as syncRunsRoute from "@/app/api/v1/admin/clients/[id]/sync-runs/route";
import * as syncClientRoute from "@/app/api/v1/tasks/sync-client/[id]/route";
import * as syncAllRoute from "@/app/api/v1/tasks/sync-all/route";
import * as statusRoute from "@/app/api/v1/tasks/status/[runId]/route";
import * as schedulerRoute from "@/app/api/v1/tasks/scheduler-status/route";
import { createTestDatabase } from "./helpers/db";
import { callRoute, useAsAppDatabase } from "./helpers/app-db";
import { signedInUser, type SignedIn } from "./helpers/auth";
import { createClient, createWorkflow, insertExecutions } from "./helpers/factories";

// One attempt per n8n request: syncs started in the background against a closed port
// would otherwise wait out the retry backoff. Hoisted, because lib/core/env reads it on import.
vi.hoisted(() => {
  process.env.N8N_MAX_RETRIES = "0";
});

type Route = Parameters<typeof callRoute>[0];

const KEY = "n8n_api_live_7Qx2-secret-4f9a";
let handle: DatabaseHandle;
let admin: SignedIn;
const servers: Array<{ close(): Promise<void> }> = [];
/** Every secret a response must never contain: plain keys and their ciphertexts. */
const secrets = new Set<string>([KEY]);

beforeAll(async () => {
  handle = await createTestDatabase();
  useAsAppDatabase(handle);
  admin = await signedInUser(handle.db, "admin");
});
afterAll(async () => {
  await backgroundJobsSettled();
  await Promise.all(servers.map((s) => s.close()));
  await handle.close();
});

interface Answer<T> {
  status: number;
  body: T;
}

/** Calls a route as the signed-in admin and checks the answer for leaked secrets. */
async function call<T>(
  route: Route,
  url: string,
  params: Record<string, string> = {},
  init: { method?: string; body?: unknown; as?: "admin" | "operator" | "anonymous" } = {},
): Promise<Answer<T>> {
  const as = init.as ?? "admin";
  const auth =
    as === "admin" ? { token: null, headers: { cookie: admin.cookie } } : as === "anonymous" ? { token: null } : {};
  const res = await callRoute(route, url, params, {
    method: init.method ?? "GET",
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    ...auth,
    headers: { ...("headers" in auth ? auth.headers : {}), "content-type": "application/json" },
  });
  const text = await res.text();
  // Ciphertexts are re-read each time: a PATCH may just have replaced one.
  const stored = await handle.db.select({ key: clients.n8nApiKey }).from(clients);
  for (const secret of [...secrets, ...stored.map((r) => r.key)])
    expect(text, `a response leaked ${secret}`).not.toContain(secret);
  return { status: res.status, body: JSON.parse(text) as T };
}

const errorOf = (answer: Answer<unknown>) => (answer.body as { error: { code: string; message: string } }).error;

async function waitForRun(runId: number): Promise<RunView> {
  for (let i = 0; i < 400; i++) {
    const { status, body } = await call<RunView>(
      statusRoute.GET,
      `/api/v1/tasks/status/${runId}`,
      { runId: String(runId) },
      { as: "operator" },
    );
    expect(status).toBe(200);
    if (body.status === "success" || body.status === "error") return body;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`run ${runId} did not finish`);
}

const WORKFLOWS = [
  { id: "w1", name: "Invoice sync" },
  { id: "w2", name: "Lead router", tags: ["dev"] },
  { id: "w3", name: "Nightly report" },
];

function executionsFor(n: number): FakeExecutionInput[] {
  const start = Date.now() - 48 * 3_600_000;
  return Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    workflowId: WORKFLOWS[i % 3].id,
    status: "success",
    mode: i % 5 === 0 ? "manual" : "trigger",
    startedAt: new Date(start + i * 60_000),
    stoppedAt: new Date(start + i * 60_000 + 500),
  }));
}

async function fakeN8n(n: number): Promise<FakeN8n> {
  const server = await startFakeN8n({
    apiKey: KEY,
    source: new InMemorySource({ workflows: WORKFLOWS, executions: executionsFor(n) }),
  });
  servers.push(server);
  return server;
}

async function startServer(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push({ close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A port that was just free: nothing listens there. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

const createBody = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  n8nBaseUrl: "https://n8n.example.com",
  n8nApiKey: KEY,
  ...extra,
});

describe("clients CRUD", () => {
  it("creates, lists, reads, edits and deactivates a client, showing only the key hint", async () => {
    const created = await call<AdminClient>(
      clientsRoute.POST,
      "/api/v1/admin/clients",
      {},
      {
        method: "POST",
        body: createBody("Acme Corp", { concurrencyLimit: 7, defaultMinutesSaved: 3 }),
      },
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: "Acme Corp",
      slug: "acme-corp",
      n8nBaseUrl: "https://n8n.example.com",
      apiKeyHint: "••••4f9a",
      active: true,
      concurrencyLimit: 7,
      defaultMinutesSaved: 3,
      filterRules: { excludeManual: true, excludeTestWorkflows: true, includePatterns: [], excludePatterns: [] },
      counts: { workflows: 0, executions: 0, productionExecutions: 0 },
      lastSyncAt: null,
      lastRun: null,
      timeZone: "UTC",
      timeZoneFrom: null,
    });
    const id = created.body.id;
    const [row] = await handle.db.select().from(clients).where(eq(clients.id, id));
    expect(row.n8nApiKey).not.toBe(KEY);
    expect(n8nApiKeyOf(row)).toBe(KEY);

    const list = await call<{ clients: AdminClient[] }>(clientsRoute.GET, "/api/v1/admin/clients");
    expect(list.status).toBe(200);
    expect(list.body.clients.find((c) => c.id === id)).toEqual(created.body);

    const duplicate = await call(
      clientsRoute.POST,
      "/api/v1/admin/clients",
      {},
      { method: "POST", body: createBody("Acme Corp") },
    );
    expect(duplicate.status).toBe(409);

    const newKey = "n8n_api_rotated-key-b7c1";
    secrets.add(newKey);
    const edited = await call<AdminClient>(
      clientRoute.PATCH,
      `/api/v1/admin/clients/${id}`,
      { id: String(id) },
      {
        method: "PATCH",
        body: {
          name: "Acme Inc",
          n8nBaseUrl: "https://flows.acme.test/",
          n8nApiKey: newKey,
          concurrencyLimit: 12,
          defaultMinutesSaved: 4.5,
        },
      },
    );
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      id,
      timeZone: "UTC",
      timeZoneFrom: null,
      zoneChange: null,
      name: "Acme Inc",
      slug: "acme-corp",
      n8nBaseUrl: "https://flows.acme.test/",
      apiKeyHint: "••••b7c1",
      concurrencyLimit: 12,
      defaultMinutesSaved: 4.5,
      active: true,
    });
    const [rotated] = await handle.db.select().from(clients).where(eq(clients.id, id));
    expect(n8nApiKeyOf(rotated)).toBe(newKey);

    // Without a new key, the stored one stays.
    const renamed = await call<AdminClient>(
      clientRoute.PATCH,
      `/api/v1/admin/clients/${id}`,
      { id: String(id) },
      { method: "PATCH", body: { name: "Acme" } },
    );
    expect(renamed.body).toMatchObject({ name: "Acme", apiKeyHint: "••••b7c1", concurrencyLimit: 12 });

    const deactivated = await call<AdminClient>(
      clientRoute.PATCH,
      `/api/v1/admin/clients/${id}`,
      { id: String(id) },
      { method: "PATCH", body: { active: false } },
    );
    expect(deactivated.body.active).toBe(false);
    expect(await listActiveClientIds(handle.db)).not.toContain(id);

    const read = await call<AdminClient>(clientRoute.GET, `/api/v1/admin/clients/${id}`, { id: String(id) });
    expect(read.body).toMatchObject({ id, name: "Acme", active: false, apiKeyHint: "••••b7c1" });
  });

  it("answers 400 naming the field, 404 for unknown ids, and refuses non-admins", async () => {
    const post = (body: unknown) => call(clientsRoute.POST, "/api/v1/admin/clients", {}, { method: "POST", body });
    expect(errorOf(await post(createBody("")))).toEqual({ code: "bad_request", message: "name: must not be empty" });
    expect(errorOf(await post(createBody("X", { n8nBaseUrl: "ftp://files.example.com" }))).message).toMatch(
      /^n8nBaseUrl: /,
    );
    expect(errorOf(await post({ name: "No key", n8nBaseUrl: "https://n8n.example.com" })).message).toMatch(
      /^n8nApiKey: /,
    );
    expect(errorOf(await post(createBody("X", { concurrencyLimit: 0 }))).message).toMatch(/^concurrencyLimit: /);

    const client = await createClient(handle.db);
    secrets.add(client.plainApiKey);
    const patch = (body: unknown, id = String(client.id)) =>
      call(clientRoute.PATCH, `/api/v1/admin/clients/${id}`, { id }, { method: "PATCH", body });
    const wrong = await patch({ defaultMinutesSaved: -1 });
    expect(wrong.status).toBe(400);
    expect(errorOf(wrong).message).toMatch(/^defaultMinutesSaved: /);
    expect(errorOf(await patch({ n8nApiKey: "" })).message).toBe("n8nApiKey: must not be empty");
    expect((await patch({ slug: "renamed" })).status).toBe(400);
    expect(errorOf(await patch({ name: "X" }, "abc"))).toEqual({
      code: "bad_request",
      message: "id: must be a positive integer",
    });
    expect((await patch({ name: "X" }, "999999")).status).toBe(404);
    expect((await call(clientRoute.GET, "/api/v1/admin/clients/999999", { id: "999999" })).status).toBe(404);

    const preview = (rules: unknown) =>
      call(
        previewRoute.POST,
        `/api/v1/admin/clients/${client.id}/rules/preview`,
        { id: String(client.id) },
        { method: "POST", body: { rules } },
      );
    const badRegex = errorOf(await preview({ excludePatterns: ["ok", "(unclosed"] }));
    expect(badRegex.code).toBe("bad_request");
    expect(badRegex.message).toMatch(/^rules\.excludePatterns\.1: invalid regular expression "\(unclosed"/);
    expect(errorOf(await preview({ excludeManual: "yes" })).message).toMatch(/^rules\.excludeManual: /);
    const badSave = await call(
      rulesRoute.PUT,
      `/api/v1/admin/clients/${client.id}/rules`,
      { id: String(client.id) },
      {
        method: "PUT",
        body: { rules: { includePatterns: ["[a-"] } },
      },
    );
    expect(errorOf(badSave).message).toMatch(/^rules\.includePatterns\.0: invalid regular expression/);

    const runs = await call(syncRunsRoute.GET, `/api/v1/admin/clients/${client.id}/sync-runs?limit=0`, {
      id: String(client.id),
    });
    expect(errorOf(runs).message).toBe("limit: must be an integer from 1 to 100");
    expect(errorOf(await call(statusRoute.GET, "/api/v1/tasks/status/x", { runId: "x" })).message).toBe(
      "runId: must be a positive integer",
    );
    expect((await call(statusRoute.GET, "/api/v1/tasks/status/999999", { runId: "999999" })).status).toBe(404);
    expect(
      (await call(syncClientRoute.POST, "/api/v1/tasks/sync-client/999999", { id: "999999" }, { method: "POST" }))
        .status,
    ).toBe(404);

    // Admin routes: operators (here a global token) are refused, anonymous callers too.
    expect((await call(clientsRoute.GET, "/api/v1/admin/clients", {}, { as: "operator" })).status).toBe(403);
    expect((await call(clientsRoute.GET, "/api/v1/admin/clients", {}, { as: "anonymous" })).status).toBe(401);
    expect((await call(statusRoute.GET, "/api/v1/tasks/status/1", { runId: "1" }, { as: "anonymous" })).status).toBe(
      401,
    );
  });
});

describe("client time zones", () => {
  const post = (body: unknown) =>
    call<AdminClientView>(clientsRoute.POST, "/api/v1/admin/clients", {}, { method: "POST", body });
  const patch = (id: number, body: unknown) =>
    call<UpdatedAdminClient>(
      clientRoute.PATCH,
      `/api/v1/admin/clients/${id}`,
      { id: String(id) },
      { method: "PATCH", body },
    );
  const zoneOf = async (id: number) => (await handle.db.select().from(clients).where(eq(clients.id, id)))[0];

  it("creates a client in the zone given, and answers it everywhere", async () => {
    const created = await post(createBody("Mumbai Ops", { timeZone: "Asia/Kolkata" }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ slug: "mumbai-ops", timeZone: "Asia/Kolkata", timeZoneFrom: null });
    expect(await zoneOf(created.body.id)).toMatchObject({ timeZone: "Asia/Kolkata", timeZoneFrom: null });

    const read = await call<AdminClientView>(clientRoute.GET, `/api/v1/admin/clients/${created.body.id}`, {
      id: String(created.body.id),
    });
    expect(read.body).toEqual(created.body);
    const list = await call<{ clients: AdminClientView[] }>(clientsRoute.GET, "/api/v1/admin/clients");
    expect(list.body.clients.find((c) => c.id === created.body.id)).toEqual(created.body);
  });

  it("refuses an unknown zone with a 400 naming timeZone, and writes nothing", async () => {
    const bad = await post(createBody("Nowhere Ltd", { timeZone: "Mars/Olympus_Mons" }));
    expect(bad.status).toBe(400);
    expect(errorOf(bad).code).toBe("bad_request");
    expect(errorOf(bad).message).toMatch(/^timeZone: /);
    expect(await handle.db.select().from(clients).where(eq(clients.slug, "nowhere-ltd"))).toHaveLength(0);

    const client = await createClient(handle.db, { name: "Zone Keeper" });
    secrets.add(client.plainApiKey);
    const wrong = await patch(client.id, { name: "Renamed", timeZone: "Europe/Atlantis" });
    expect(wrong.status).toBe(400);
    expect(errorOf(wrong).message).toMatch(/^timeZone: /);
    // The whole body is parsed before anything is saved: the name did not change either.
    expect(await zoneOf(client.id)).toMatchObject({ name: "Zone Keeper", timeZone: "UTC" });
  });

  it("answers the zone on PATCH, and leaves it alone when it is not changed", async () => {
    const client = await createClient(handle.db, { timeZone: "America/New_York" });
    secrets.add(client.plainApiKey);
    const renamed = await patch(client.id, { name: "New York Desk" });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({
      name: "New York Desk",
      timeZone: "America/New_York",
      timeZoneFrom: null,
      zoneChange: null,
    });
    // The same zone again (spaces trimmed) rebuilds nothing.
    const same = await patch(client.id, { timeZone: " America/New_York " });
    expect(same.status).toBe(200);
    expect(same.body).toMatchObject({ timeZone: "America/New_York", zoneChange: null });
  });

  // Runs the real rebuild (lib/ingest/rollups/zone-change.ts) on a client without data.
  it("changes the zone after the other fields, and reports the change", async () => {
    const client = await createClient(handle.db);
    secrets.add(client.plainApiKey);
    const changed = await patch(client.id, { concurrencyLimit: 4, timeZone: "Asia/Kolkata" });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      concurrencyLimit: 4,
      timeZone: "Asia/Kolkata",
      zoneChange: { timeZone: "Asia/Kolkata", previousTimeZone: "UTC" },
    });
    expect(changed.body.zoneChange?.timeZoneFrom).toBe(changed.body.timeZoneFrom);
    expect(await zoneOf(client.id)).toMatchObject({ concurrencyLimit: 4, timeZone: "Asia/Kolkata" });
  });
});

describe("test connection", () => {
  const testNew = (n8nBaseUrl: string, n8nApiKey: string) =>
    call<ConnectionTest>(
      newTestRoute.POST,
      "/api/v1/admin/test-connection",
      {},
      { method: "POST", body: { n8nBaseUrl, n8nApiKey } },
    );

  it("counts the workflows and executions a stored client's n8n shows, up to the cap", async () => {
    const big = await fakeN8n(1_200);
    const client = await createClient(handle.db, { n8nBaseUrl: big.url, n8nApiKey: KEY });
    const res = await call<ConnectionTest>(
      clientTestRoute.POST,
      `/api/v1/admin/clients/${client.id}/test-connection`,
      { id: String(client.id) },
      { method: "POST" },
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      ok: true,
      baseUrl: big.url,
      workflows: 3,
      executions: 1_000,
      executionsCapped: true,
    });
    // Paging stopped at the cap: 4 pages of 250, not all 5.
    expect(big.requests.filter((r) => r.path === "/api/v1/executions")).toHaveLength(4);

    const small = await fakeN8n(30);
    expect((await testNew(small.url, KEY)).body).toMatchObject({
      ok: true,
      workflows: 3,
      executions: 30,
      executionsCapped: false,
    });
  });

  it("reports a wrong key, a closed port and a server that is not n8n, with kind and message", async () => {
    const n8n = await fakeN8n(5);
    const wrongKey = await testNew(n8n.url, "not-the-key");
    expect(wrongKey.status).toBe(200);
    expect(wrongKey.body).toMatchObject({
      ok: false,
      error: { kind: "unauthorized", title: "n8n refused the API key" },
    });
    expect(wrongKey.body.ok === false && wrongKey.body.error.message).toMatch(/rejected the API key \(401/);

    const closed = await closedPortUrl();
    const unreachable = await testNew(closed, KEY);
    expect(unreachable.body).toMatchObject({
      ok: false,
      baseUrl: closed,
      error: { kind: "unreachable", title: "n8n is unreachable" },
    });
    expect(unreachable.body.ok === false && unreachable.body.error.message).toMatch(
      /Cannot reach n8n at .*\(could not connect\)/,
    );

    const website = await startServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<!doctype html><html><body>Welcome to our website</body></html>");
    });
    const notN8n = await testNew(website, KEY);
    expect(notN8n.body).toMatchObject({ ok: false, error: { kind: "not_n8n", title: "No n8n API at this address" } });
    expect(notN8n.body.ok === false && notN8n.body.error.message).toMatch(/No n8n public API found/);

    // The same verdict for a stored client with a wrong key.
    const client = await createClient(handle.db, { n8nBaseUrl: n8n.url, n8nApiKey: "stale-key-0000" });
    secrets.add("stale-key-0000");
    const stored = await call<ConnectionTest>(
      clientTestRoute.POST,
      `/api/v1/admin/clients/${client.id}/test-connection`,
      { id: String(client.id) },
      { method: "POST" },
    );
    expect(stored.body).toMatchObject({ ok: false, error: { kind: "unauthorized" } });

    const invalid = await call(
      newTestRoute.POST,
      "/api/v1/admin/test-connection",
      {},
      { method: "POST", body: { n8nBaseUrl: "not a url", n8nApiKey: KEY } },
    );
    expect(invalid.status).toBe(400);
    expect(errorOf(invalid).message).toMatch(/^n8nBaseUrl: /);
  });
});

describe("rules preview and save", () => {
  /**
   * Five workflows, stored classified by the default rules:
   * A prod (10 trigger, 2 manual), B tag:dev (4 + 1 manual), C test-name:debug (3),
   * D prod until "^tmp" is excluded (6 + 1 manual), E production tag beats "demo" (5).
   */
  async function seed() {
    const client = await createClient(handle.db);
    secrets.add(client.plainApiKey);
    const wf = {
      a: await createWorkflow(handle.db, client.id, { name: "Invoice sync" }),
      b: await createWorkflow(handle.db, client.id, { name: "Lead router", tags: ["dev"] }),
      c: await createWorkflow(handle.db, client.id, { name: "Debug webhook" }),
      d: await createWorkflow(handle.db, client.id, { name: "Tmp export" }),
      e: await createWorkflow(handle.db, client.id, { name: "Demo sales", tags: ["production"] }),
    };
    const startedAt = new Date(Date.now() - 3_600_000);
    const add = (key: keyof typeof wf, n: number, mode: string, reason: string | null) =>
      insertExecutions(
        handle.db,
        { clientId: client.id, workflowId: wf[key].id },
        Array.from({ length: n }, () => ({ startedAt, mode, isProduction: reason === null, exclusionReason: reason })),
      );
    await add("a", 10, "trigger", null);
    await add("a", 2, "manual", "manual");
    await add("b", 4, "webhook", "tag:dev");
    await add("b", 1, "manual", "manual");
    await add("c", 3, "trigger", "test-name:debug");
    await add("d", 6, "trigger", null);
    await add("d", 1, "manual", "manual");
    await add("e", 5, "trigger", null);
    return { client, wf };
  }

  const RULES = {
    excludeManual: false,
    excludeTestWorkflows: true,
    includePatterns: ["^Debug"],
    excludePatterns: ["^tmp"],
  };

  const productionCount = async (clientId: number) => {
    const [row] = await handle.db
      .select({ n: count() })
      .from(executions)
      .where(and(eq(executions.clientId, clientId), eq(executions.isProduction, true)));
    return row.n;
  };

  it("previews exact counts per reason and the change against what is stored, writing nothing", async () => {
    const { client, wf } = await seed();
    const res = await call<ExplainedRulesPreview>(
      previewRoute.POST,
      `/api/v1/admin/clients/${client.id}/rules/preview`,
      { id: String(client.id) },
      {
        method: "POST",
        body: { rules: RULES },
      },
    );
    expect(res.status).toBe(200);
    // The reasons per workflow and pattern (checked in admin-polish.test.ts) come on top of the counts.
    const { verdicts, verdictsOmitted, patterns, manualExcluded, ...counts } = res.body;
    // Kept in over an exclusion first, then excluded, then the rest; by name within each.
    expect(verdicts.map((v) => [v.name, v.included, v.decidedBy, v.overridden.map((m) => m.value)])).toEqual([
      ["Debug webhook", true, "include-pattern", ["debug"]],
      ["Demo sales", true, "production-tag", ["demo"]],
      ["Lead router", false, "non-production-tag", []],
      ["Tmp export", false, "exclude-pattern", []],
      ["Invoice sync", true, "no-rule", []],
    ]);
    expect(verdictsOmitted).toBe(0);
    expect(patterns.map((p) => [p.kind, p.pattern, p.workflows.map((w) => w.name)])).toEqual([
      ["include", "^Debug", ["Debug webhook"]],
      ["exclude", "^tmp", ["Tmp export"]],
    ]);
    expect(manualExcluded).toBe(false);
    expect(counts).toEqual({
      rules: RULES,
      workflows: { total: 5, excluded: 2, currentlyExcluded: 2 },
      executions: { total: 32, excluded: 12, included: 20, currentlyExcluded: 11, newlyExcluded: 6, newlyIncluded: 5 },
      reasons: [
        { reason: "pattern:^tmp", executions: 7, workflows: 1 },
        { reason: "tag:dev", executions: 5, workflows: 1 },
      ],
      changes: [
        { workflowId: wf.d.id, name: "Tmp export", reason: "pattern:^tmp", newlyExcluded: 6, newlyIncluded: 0 },
        { workflowId: wf.c.id, name: "Debug webhook", reason: null, newlyExcluded: 0, newlyIncluded: 3 },
        { workflowId: wf.a.id, name: "Invoice sync", reason: null, newlyExcluded: 0, newlyIncluded: 2 },
      ],
      changedWorkflows: 3,
    });
    expect(await productionCount(client.id)).toBe(21);

    // The stored rules preview as "no change".
    const same = await call<RulesPreview>(
      previewRoute.POST,
      `/api/v1/admin/clients/${client.id}/rules/preview`,
      { id: String(client.id) },
      {
        method: "POST",
        body: { rules: {} },
      },
    );
    expect(same.body.executions).toMatchObject({ excluded: 11, newlyExcluded: 0, newlyIncluded: 0 });
    expect(same.body.reasons).toEqual([
      { reason: "tag:dev", executions: 4, workflows: 1 },
      { reason: "manual", executions: 4, workflows: 0 },
      { reason: "test-name:debug", executions: 3, workflows: 1 },
    ]);
  });

  it("saves the rules and re-classifies the history in a run the page can poll", async () => {
    const { client } = await seed();
    const saved = await call<{ runId: number; rules: unknown }>(
      rulesRoute.PUT,
      `/api/v1/admin/clients/${client.id}/rules`,
      { id: String(client.id) },
      {
        method: "PUT",
        body: { rules: RULES },
      },
    );
    expect(saved.status).toBe(202);
    expect(saved.body.rules).toEqual(RULES);
    const run = await waitForRun(saved.body.runId);
    expect(run).toMatchObject({
      function: "reclassify",
      trigger: "manual",
      clientId: client.id,
      status: "success",
      error: null,
    });
    // A manual 2 + B manual 1 (reason changes) + C 3 + D 7.
    expect(run.counts.executionsUpdated).toBe(13);
    expect(Object.keys(run.phaseMs).sort()).toEqual(["classify", "rollup"]);
    expect(await productionCount(client.id)).toBe(20);

    const read = await call<AdminClient>(clientRoute.GET, `/api/v1/admin/clients/${client.id}`, {
      id: String(client.id),
    });
    expect(read.body.filterRules).toEqual(RULES);
    expect(read.body.counts).toEqual({ workflows: 5, executions: 32, productionExecutions: 20 });
    // The preview of the saved rules now shows nothing left to change.
    const after = await call<RulesPreview>(
      previewRoute.POST,
      `/api/v1/admin/clients/${client.id}/rules/preview`,
      { id: String(client.id) },
      {
        method: "POST",
        body: { rules: RULES },
      },
    );
    expect(after.body.executions).toMatchObject({ currentlyExcluded: 12, newlyExcluded: 0, newlyIncluded: 0 });
  });
});

describe("syncs and scheduler", () => {
  it("syncs a client now, shows the run, the history and the client's freshness", async () => {
    const n8n = await fakeN8n(40);
    const client = await createClient(handle.db, { n8nBaseUrl: n8n.url, n8nApiKey: KEY });
    const never = await createClient(handle.db);
    secrets.add(never.plainApiKey);

    const started = await call<{ runId: number }>(
      syncClientRoute.POST,
      `/api/v1/tasks/sync-client/${client.id}`,
      { id: String(client.id) },
      { method: "POST" },
    );
    expect(started.status).toBe(202);
    const run = await waitForRun(started.body.runId);
    expect(run).toMatchObject({
      id: started.body.runId,
      function: "sync-client",
      trigger: "manual",
      clientId: client.id,
      clientName: client.name,
      status: "success",
      error: null,
      counts: { pages: 1, workflowsSeen: 3, executionsSeen: 40, executionsNew: 40, executionsUpdated: 0 },
    });
    // Every 5th run is manual, and w2 carries the "dev" tag.
    const excluded = executionsFor(40).filter((e, i) => e.mode === "manual" || WORKFLOWS[i % 3].id === "w2").length;
    expect(run.counts.executionsExcluded).toBe(excluded);
    expect(Object.keys(run.phaseMs)).toEqual(
      expect.arrayContaining(["fetch", "classify", "store", "llm", "rollup", "total"]),
    );
    expect(run.finishedAt).not.toBeNull();
    expect(run.durationMs).toBeGreaterThanOrEqual(0);

    const history = await call<{ runs: RunView[] }>(
      syncRunsRoute.GET,
      `/api/v1/admin/clients/${client.id}/sync-runs?limit=5`,
      { id: String(client.id) },
    );
    expect(history.body.runs.map((r) => r.id)).toEqual([run.id]);
    expect(history.body.runs[0]).toEqual(run);

    const read = await call<AdminClient>(clientRoute.GET, `/api/v1/admin/clients/${client.id}`, {
      id: String(client.id),
    });
    expect(read.body.counts).toEqual({ workflows: 3, executions: 40, productionExecutions: 40 - excluded });
    expect(read.body.lastSyncAt).toBe(run.finishedAt);
    expect(read.body.lastRun).toMatchObject({ id: run.id, status: "success" });

    // The scheduler: mode, jobs with cron and last scheduled run, and freshness per client.
    await runRollupJob(handle.db, { trigger: "cron" });
    const scheduler = await call<SchedulerStatusView>(
      schedulerRoute.GET,
      "/api/v1/tasks/scheduler-status",
      {},
      { as: "operator" },
    );
    expect(scheduler.status).toBe(200);
    expect(scheduler.body).toMatchObject({ mode: "off", running: false, timezone: "UTC", collectIntervalSeconds: 900 });
    expect(scheduler.body.jobs.map((j) => [j.name, j.cron, j.function])).toEqual([
      ["collect", "*/15 * * * *", "sync-client"],
      ["rollupDaily", "0 2 * * *", "rollup"],
      ["rollupWeekly", "0 3 * * 0", "rollup"],
      ["rollupMonthly", "0 4 1 * *", "rollup"],
      ["retention", "0 1 * * *", "retention"],
      ["alerts", "* * * * *", null],
    ]);
    // Off: nothing is scheduled; the manual sync is not a scheduled collect.
    expect(scheduler.body.jobs.every((j) => j.nextRunAt === null)).toBe(true);
    const jobs = Object.fromEntries(scheduler.body.jobs.map((j) => [j.name, j]));
    expect(jobs.collect.lastRun).toBeNull();
    expect(jobs.rollupDaily.lastRun).toMatchObject({ function: "rollup", status: "success" });
    expect(jobs.retention.lastRun).toBeNull();
    const fresh = scheduler.body.clients.find((c) => c.id === client.id);
    expect(fresh).toMatchObject({
      slug: client.slug,
      lastSuccessAt: run.finishedAt,
      stale: false,
      lastRunStatus: "success",
    });
    expect(fresh?.ageSeconds).toBeGreaterThanOrEqual(0);
    expect(scheduler.body.clients.find((c) => c.id === never.id)).toMatchObject({
      lastSuccessAt: null,
      ageSeconds: null,
      stale: true,
      lastRunStatus: null,
    });

    // Operators may read run status and the scheduler; client users may not.
    const clientUser = await signedInUser(handle.db, "client", client.id);
    const asClient = await callRoute(
      schedulerRoute.GET,
      "/api/v1/tasks/scheduler-status",
      {},
      { token: null, headers: { cookie: clientUser.cookie } },
    );
    expect(asClient.status).toBe(403);
  });

  it("syncs every active client, one run each, and records a failing one without stopping the others", async () => {
    // Only this test's clients are active, so the answer is exact.
    for (const id of await listActiveClientIds(handle.db))
      await handle.db.update(clients).set({ active: false }).where(eq(clients.id, id));
    const n8n = await fakeN8n(12);
    const good = await createClient(handle.db, { n8nBaseUrl: n8n.url, n8nApiKey: KEY });
    const broken = await createClient(handle.db, { n8nBaseUrl: await closedPortUrl(), n8nApiKey: KEY });
    const inactive = await createClient(handle.db, { n8nBaseUrl: n8n.url, n8nApiKey: KEY, active: false });

    const res = await call<{ runs: Array<{ clientId: number; runId: number }> }>(
      syncAllRoute.POST,
      "/api/v1/tasks/sync-all",
      {},
      { method: "POST" },
    );
    expect(res.status).toBe(202);
    expect(res.body.runs.map((r) => r.clientId).sort()).toEqual([good.id, broken.id].sort());
    expect(res.body.runs.map((r) => r.clientId)).not.toContain(inactive.id);

    const byClient = new Map(res.body.runs.map((r) => [r.clientId, r.runId]));
    const ok = await waitForRun(byClient.get(good.id) as number);
    expect(ok).toMatchObject({ status: "success", counts: { executionsNew: 12 } });
    const failed = await waitForRun(byClient.get(broken.id) as number);
    expect(failed.status).toBe("error");
    expect(failed.error).toMatch(/Cannot reach n8n/);
  });
});

describe("Inngest functions", () => {
  it("run the queued run named by the event, so the page polling it sees the outcome", async () => {
    // The functions reach the database through getDb(): the one set in beforeAll.
    const n8n = await fakeN8n(6);
    const client = await createClient(handle.db, { n8nBaseUrl: n8n.url, n8nApiKey: KEY });
    const syncRun = await queueRun(handle.db, { function: "sync-client", trigger: "manual", clientId: client.id });
    const synced = await new InngestTestEngine({ function: syncClientFn }).execute({
      events: [{ name: "n8n/client.sync.requested", data: { clientId: client.id, runId: syncRun } }],
      // No Inngest server here: the event to the alerts function is not sent.
      steps: [{ id: "evaluate-alerts", handler: () => ({ ids: [] }) }],
    });
    expect(synced.error).toBeUndefined();
    const reclassifyRun = await queueRun(handle.db, {
      function: "reclassify",
      trigger: "manual",
      clientId: client.id,
    });
    const reclassified = await new InngestTestEngine({ function: reclassify }).execute({
      events: [{ name: "client/rules.changed", data: { clientId: client.id, runId: reclassifyRun } }],
    });
    expect(reclassified.error).toBeUndefined();

    // No second row: the queued ones were started and finished, trigger as queued.
    const runs = await handle.db.select().from(syncRuns).where(eq(syncRuns.clientId, client.id));
    expect(runs.map((r) => [r.id, r.function, r.status, r.trigger]).sort()).toEqual(
      [
        [syncRun, "sync-client", "success", "manual"],
        [reclassifyRun, "reclassify", "success", "manual"],
      ].sort(),
    );
    expect(runs.find((r) => r.id === syncRun)?.executionsNew).toBe(6);
  });
});
