import { createServer as createHttpServer } from "node:http";
import { createServer } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { eq } from "drizzle-orm";
import type { DatabaseHandle } from "@/lib/db/database";
import { clients } from "@/lib/db/schema";
import { connectN8n, updateClient } from "@/lib/clients";
import { InMemorySource, startFakeN8n, type FakeExecutionInput, type FakeN8n, type FakeSource } from "@/lib/n8n/fake";
import {
  N8nClient,
  N8nError,
  N8nExecution,
  N8nWorkflow,
  normaliseBaseUrl,
  type N8nClientOptions,
  type N8nRequestInfo,
} from "@/lib/n8n";
import { createTestDatabase } from "./helpers/db";
import { createClient } from "./helpers/factories";
import { n8nFailure } from "./helpers/n8n-failure";

/** The client against the real fake HTTP server: no fetch mocks. */
const KEY = "secret-api-key-123";
const NOW = new Date("2025-03-12T15:00:00Z");
const servers: FakeN8n[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function executions(
  count: number,
  patch: (id: number) => Partial<FakeExecutionInput> = () => ({}),
): FakeExecutionInput[] {
  return Array.from({ length: count }, (_, i) => {
    const id = i + 1;
    const startedAt = new Date(NOW.getTime() - (count - i) * 60_000);
    return {
      id,
      workflowId: "wf-1",
      status: "success",
      startedAt,
      stoppedAt: new Date(startedAt.getTime() + 2000),
      ...patch(id),
    };
  });
}

/** A fake n8n and a client whose sleeps are recorded, not waited. */
async function setup(source: FakeSource, options: Partial<N8nClientOptions> = {}) {
  const fake = await startFakeN8n({ apiKey: KEY, source, now: () => NOW });
  servers.push(fake);
  const waits: number[] = [];
  const infos: N8nRequestInfo[] = [];
  const client = new N8nClient({
    baseUrl: fake.url,
    apiKey: KEY,
    maxRetries: 3,
    timeoutMs: 2_000,
    sleep: async (ms) => {
      waits.push(ms);
    },
    onRequest: (info) => infos.push(info),
    ...options,
  });
  return { fake, client, waits, infos };
}

async function collect(client: N8nClient, options: Parameters<N8nClient["executionPages"]>[0] = {}) {
  const pages: Array<{ ids: string[]; nextCursor: string | null }> = [];
  for await (const page of client.executionPages(options)) {
    pages.push({ ids: page.executions.map((e) => e.id), nextCursor: page.nextCursor });
  }
  return pages;
}

const descending = (from: number, to: number) => Array.from({ length: from - to + 1 }, (_, i) => String(from - i));
const decode = (cursor: string) => JSON.parse(Buffer.from(cursor, "base64").toString("utf8"));

describe("N8nClient: paging", () => {
  it("pages over more than 250 executions, capping the limit at 250", async () => {
    const { client, fake } = await setup(new InMemorySource({ executions: executions(600) }));
    const pages = await collect(client, { limit: 1000 });
    expect(pages.map((p) => p.ids.length)).toEqual([250, 250, 100]);
    const all = pages.flatMap((p) => p.ids);
    expect(all).toEqual(descending(600, 1));
    expect(new Set(all).size).toBe(600);
    expect(decode(pages[0].nextCursor as string)).toEqual({ lastId: "351", limit: 250 });
    expect(decode(pages[1].nextCursor as string)).toEqual({ lastId: "101", limit: 250 });
    expect(pages[2].nextCursor).toBeNull();
    expect(fake.requests.map((r) => r.query)).toEqual([
      { limit: "250" },
      { limit: "250", cursor: pages[0].nextCursor },
      { limit: "250", cursor: pages[1].nextCursor },
    ]);
  });

  it("yields pages one at a time, fetching the next only when asked", async () => {
    const { client, fake } = await setup(new InMemorySource({ executions: executions(600) }));
    const pages = client.executionPages();
    const first = await pages.next();
    expect(first.value?.executions).toHaveLength(250);
    expect(fake.requests).toHaveLength(1);
    await pages.return(undefined);
    expect(fake.requests).toHaveLength(1);
  });

  it("sends filters on every page and includeData only when true", async () => {
    const source = new InMemorySource({
      executions: executions(30, (id) => ({ workflowId: id % 3 ? "wf-1" : "wf-2" })),
    });
    const { client, fake } = await setup(source);
    const pages = await collect(client, { limit: 4, workflowId: "wf-2", status: "success" });
    expect(pages.flatMap((p) => p.ids)).toEqual(["30", "27", "24", "21", "18", "15", "12", "9", "6", "3"]);
    for (const r of fake.requests) expect(r.query).toMatchObject({ workflowId: "wf-2", status: "success", limit: "4" });
    expect(fake.requests.every((r) => !("includeData" in r.query))).toBe(true);

    const withoutData = (await client.executionPages({ limit: 1 }).next()).value?.executions[0];
    expect(withoutData?.data).toBeUndefined();
    const withData = (await client.executionPages({ limit: 1, includeData: true }).next()).value?.executions[0];
    expect(fake.requests.at(-1)?.query).toEqual({ limit: "1", includeData: "true" });
    expect((withData?.data as { resultData: { runData: object } }).resultData.runData).toBeDefined();
  });

  it("parses executions: ids as strings, dates as Dates, unknown fields dropped", async () => {
    const source = new InMemorySource({
      executions: [
        {
          id: 7,
          workflowId: "wf-1",
          status: "waiting",
          startedAt: NOW,
          stoppedAt: NOW,
          waitTill: "2025-03-13T00:00:00Z",
          retryOf: 3,
        },
      ],
    });
    const { client } = await setup(source);
    const [e] = (await client.executionPages().next()).value?.executions ?? [];
    expect(e).toEqual({
      id: "7",
      finished: false,
      mode: "trigger",
      retryOf: "3",
      retrySuccessId: null,
      status: "waiting",
      startedAt: NOW,
      stoppedAt: NOW,
      workflowId: "wf-1",
      waitTill: new Date("2025-03-13T00:00:00Z"),
      customData: {},
    });
  });

  it("reads workflows with defaults for absent fields", async () => {
    const source = new InMemorySource({
      workflows: [
        {
          id: "a1",
          name: "Invoice sync",
          tags: ["production"],
          settings: { timeSavedPerExecution: 5 },
          nodes: [{ name: "Go", type: "n8n-nodes-base.manualTrigger" }],
        },
        { id: "b2", name: "Old", active: false, isArchived: true },
      ],
    });
    const { client } = await setup(source);
    const pages: N8nWorkflow[][] = [];
    for await (const page of client.workflowPages({ limit: 1 })) pages.push(page);
    expect(pages.map((p) => p.map((w) => w.name))).toEqual([["Invoice sync"], ["Old"]]);
    const [[invoice], [old]] = pages;
    expect(invoice).toMatchObject({
      id: "a1",
      active: true,
      isArchived: false,
      settings: { timeSavedPerExecution: 5 },
    });
    expect(invoice.tags).toEqual([{ id: "tag-production", name: "production" }]);
    expect(invoice.nodes).toEqual([{ name: "Go", type: "n8n-nodes-base.manualTrigger", parameters: {} }]);
    expect(invoice.createdAt).toBeInstanceOf(Date);
    expect(old).toMatchObject({ active: false, isArchived: true, tags: [] });
  });

  it("gets one execution, or null when n8n has none", async () => {
    const { client, fake } = await setup(
      new InMemorySource({ executions: executions(3, () => ({ status: "error" })) }),
    );
    const e = await client.getExecution("2", { includeData: true });
    expect(e).toMatchObject({ id: "2", status: "error", finished: false });
    expect(e?.data).toBeDefined();
    expect(fake.requests[0]).toMatchObject({ path: "/api/v1/executions/2", query: { includeData: "true" } });
    expect(await client.getExecution("99")).toBeNull();
    expect(fake.requests.at(-1)).toMatchObject({ path: "/api/v1/executions/99", query: {}, status: 404 });
  });

  it("shows a running execution only later, finished, under an id lower than ones already seen", async () => {
    const source = new InMemorySource({
      executions: executions(5, (id) => (id === 3 ? { status: "running", stoppedAt: null } : {})),
    });
    const { client } = await setup(source);
    const first = (await collect(client)).flatMap((p) => p.ids);
    expect(first).toEqual(["5", "4", "2", "1"]);
    source.updateExecution(3, { status: "success", stoppedAt: NOW });
    source.addExecutions({ id: 6, workflowId: "wf-1", status: "success", startedAt: NOW, stoppedAt: NOW });
    const second = (await collect(client)).flatMap((p) => p.ids);
    expect(second).toEqual(["6", "5", "4", "3", "2", "1"]);
    expect((await client.getExecution("3"))?.status).toBe("success");
  });
});

describe("N8nClient: configuration errors", () => {
  it("accepts base URLs with or without / and /api/v1", async () => {
    const { fake } = await setup(new InMemorySource());
    for (const suffix of ["", "/", "/api/v1", "/api/v1/"]) {
      const client = new N8nClient({ baseUrl: fake.url + suffix, apiKey: KEY, maxRetries: 0 });
      expect(client.baseUrl).toBe(fake.url);
      expect((await client.executionPages().next()).value?.executions).toEqual([]);
    }
    expect(fake.requests.every((r) => r.path === "/api/v1/executions")).toBe(true);
    expect(normaliseBaseUrl("https://n8n.example.com/sub/api/v1/")).toBe("https://n8n.example.com/sub");
    expect(() => normaliseBaseUrl("n8n.example.com")).toThrow(N8nError);
  });

  it("reports a wrong API key as unauthorized, without retrying or echoing the key", async () => {
    const { fake, waits } = await setup(new InMemorySource());
    const client = new N8nClient({ baseUrl: fake.url, apiKey: "wrong-key-456", maxRetries: 3, sleep: async () => {} });
    const err = await n8nFailure(client.executionPages().next());
    expect(err.kind).toBe("unauthorized");
    expect(err.status).toBe(401);
    expect(err.transient).toBe(false);
    expect(err.message).toContain("API key");
    expect(err.message).toContain(fake.url);
    expect(err.message).not.toContain("wrong-key-456");
    expect(fake.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it("reports a base URL serving HTML (the editor, another site) as not_n8n", async () => {
    const { fake } = await setup(new InMemorySource());
    const waits: number[] = [];
    const client = new N8nClient({
      baseUrl: `${fake.url}/n8n`,
      apiKey: KEY,
      maxRetries: 2,
      sleep: async (ms) => void waits.push(ms),
    });
    const err = await n8nFailure(client.workflowPages().next());
    expect(err.kind).toBe("not_n8n");
    expect(err.message).toContain(`${fake.url}/n8n`);
    expect(err.message).not.toContain(KEY);
    // HTML might have been a proxy's hiccup, so it was retried first.
    expect(fake.requests.map((r) => [r.path, r.status])).toEqual(Array(3).fill(["/n8n/api/v1/workflows", 200]));
  });

  it("reports a 404 on the API path as not_n8n at once", async () => {
    const { fake } = await setup(new InMemorySource());
    const client = new N8nClient({ baseUrl: `${fake.url}/api`, apiKey: KEY, maxRetries: 3, sleep: async () => {} });
    const err = await n8nFailure(client.executionPages().next());
    expect(err).toMatchObject({ kind: "not_n8n", status: 404 });
    expect(fake.requests).toHaveLength(1);
  });

  it("does not follow a redirect, which would carry the API key elsewhere", async () => {
    const { fake } = await setup(new InMemorySource());
    const redirector = createHttpServer((_req, res) => {
      res.writeHead(301, { location: `${fake.url}/api/v1/executions` });
      res.end();
    });
    await new Promise<void>((resolve) => redirector.listen(0, "127.0.0.1", resolve));
    const { port } = redirector.address() as { port: number };
    try {
      const client = new N8nClient({
        baseUrl: `http://127.0.0.1:${port}`,
        apiKey: KEY,
        maxRetries: 2,
        sleep: async () => {},
      });
      const err = await n8nFailure(client.executionPages().next());
      expect(err).toMatchObject({ kind: "not_n8n", status: 301 });
      expect(err.message).toContain(`redirect to ${fake.url}/api/v1/executions`);
      expect(fake.requests).toEqual([]);
    } finally {
      await new Promise((resolve) => redirector.close(resolve));
    }
  });

  it("reports a request n8n rejects as bad_request, without retrying", async () => {
    const { client, fake } = await setup(new InMemorySource());
    // A status this n8n does not know, as an older version would answer.
    const err = await n8nFailure(client.executionPages({ status: "brand-new" as never }).next());
    expect(err).toMatchObject({ kind: "bad_request", status: 400 });
    expect(err.message).toContain("request/query/status");
    expect(fake.requests).toHaveLength(1);
  });

  it("reports a closed port as unreachable after the retries", async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, "127.0.0.1", () => {
        const { port: p } = s.address() as { port: number };
        s.close(() => resolve(p));
      });
    });
    const waits: number[] = [];
    const infos: N8nRequestInfo[] = [];
    const client = new N8nClient({
      baseUrl: `http://127.0.0.1:${port}`,
      apiKey: KEY,
      maxRetries: 2,
      sleep: async (ms) => void waits.push(ms),
      onRequest: (i) => infos.push(i),
    });
    const err = await n8nFailure(client.executionPages().next());
    expect(err.kind).toBe("unreachable");
    expect(err.message).toContain(`http://127.0.0.1:${port}`);
    // The socket error stays out of the message: it would tell open ports from closed ones.
    expect(err.message).toContain("could not connect");
    expect(err.message).not.toContain("ECONNREFUSED");
    expect(infos.map((i) => [i.attempt, i.status])).toEqual([
      [1, null],
      [2, null],
      [3, null],
    ]);
    expect(waits).toHaveLength(2);
  });
});

describe("N8nClient: transient failures", () => {
  it("retries 500s with backoff, then returns the complete data", async () => {
    const { client, fake, waits, infos } = await setup(new InMemorySource({ executions: executions(300) }), {
      baseDelayMs: 100,
    });
    fake.faults.serverErrors(2);
    const all = (await collect(client)).flatMap((p) => p.ids);
    expect(all).toEqual(descending(300, 1));
    expect(fake.requests.map((r) => r.status)).toEqual([500, 500, 200, 200]);
    expect(infos.map((i) => [i.path, i.status, i.attempt])).toEqual([
      ["/executions", 500, 1],
      ["/executions", 500, 2],
      ["/executions", 200, 3],
      ["/executions", 200, 1],
    ]);
    // Full jitter: somewhere between 0 and the exponential cap.
    expect(waits).toHaveLength(2);
    expect(waits[0]).toBeLessThanOrEqual(100);
    expect(waits[1]).toBeLessThanOrEqual(200);
  });

  it("gives up on persistent 5xx with server_error", async () => {
    const { client, fake } = await setup(new InMemorySource({ executions: executions(3) }));
    fake.faults.serverErrors(10, 503);
    const err = await n8nFailure(client.executionPages().next());
    expect(err).toMatchObject({ kind: "server_error", status: 503 });
    expect(err.message).toContain("after 4 attempts");
    expect(fake.requests).toHaveLength(4);
  });

  it("waits exactly Retry-After on 429", async () => {
    const { client, fake, waits } = await setup(new InMemorySource({ executions: executions(10) }));
    fake.faults.rateLimit(2, 3);
    const all = (await collect(client)).flatMap((p) => p.ids);
    expect(all).toEqual(descending(10, 1));
    expect(waits).toEqual([3000, 3000]);
    expect(fake.requests.map((r) => r.status)).toEqual([429, 429, 200]);
  });

  it("gives up with rate_limited when 429 persists or asks for more than maxDelayMs", async () => {
    const { client, fake, waits } = await setup(new InMemorySource({ executions: executions(2) }));
    fake.faults.rateLimit(10, 1);
    expect((await n8nFailure(client.executionPages().next())).kind).toBe("rate_limited");
    expect(waits).toEqual([1000, 1000, 1000]);
    fake.faults.reset().rateLimit(1, 120);
    const err = await n8nFailure(client.executionPages().next());
    expect(err.kind).toBe("rate_limited");
    expect(err.message).toContain("120 s");
    expect(waits).toHaveLength(3);
  });

  it("times out a slow answer and retries it", async () => {
    const { client, fake, infos } = await setup(new InMemorySource({ executions: executions(5) }), { timeoutMs: 100 });
    fake.faults.delay(400, { times: 1 });
    const all = (await collect(client)).flatMap((p) => p.ids);
    expect(all).toEqual(descending(5, 1));
    expect(infos.map((i) => i.status)).toEqual([null, 200]);
    expect(infos[0].ms).toBeGreaterThanOrEqual(90);
  });

  it("gives up on a persistently slow n8n with timeout", async () => {
    const { client, fake } = await setup(new InMemorySource({ executions: executions(5) }), {
      timeoutMs: 80,
      maxRetries: 1,
    });
    fake.faults.delay(300);
    const err = await n8nFailure(client.executionPages().next());
    expect(err.kind).toBe("timeout");
    expect(err.message).toContain("80 ms");
    expect(fake.faults.fired.delay).toBe(2);
  });

  it("retries truncated and HTML bodies, then returns the complete data", async () => {
    const { client, fake } = await setup(new InMemorySource({ executions: executions(260) }));
    fake.faults.truncated(1).html(1);
    const pages = await collect(client);
    expect(pages.flatMap((p) => p.ids)).toEqual(descending(260, 1));
    expect(fake.faults.fired).toMatchObject({ truncated: 1, html: 1 });
    expect(fake.requests).toHaveLength(4);
  });

  it("never takes a persistently truncated body for an empty page", async () => {
    const { client, fake } = await setup(new InMemorySource({ executions: executions(10) }));
    fake.faults.truncated(100);
    const seen: number[] = [];
    const err = await n8nFailure(
      (async () => {
        for await (const page of client.executionPages()) seen.push(page.executions.length);
      })(),
    );
    expect(err.kind).toBe("invalid_response");
    expect(err.message).toContain("truncated");
    expect(seen).toEqual([]);
    expect(fake.requests).toHaveLength(4);
  });

  it("reports HTML on a later page of a working n8n as invalid_response", async () => {
    const { client, fake } = await setup(new InMemorySource({ executions: executions(300) }));
    const pages = client.executionPages();
    expect((await pages.next()).value?.executions).toHaveLength(250);
    fake.faults.html(100);
    const err = await n8nFailure(pages.next());
    expect(err.kind).toBe("invalid_response");
    expect(err.message).toContain("text/html");
    expect(fake.requests).toHaveLength(5);
  });
});

describe("N8nClient: a URL that answered like n8n before", () => {
  it("takes one HTML page from a verified URL for a proxy's hiccup: retried, then the data", async () => {
    const { fake } = await setup(new InMemorySource({ executions: executions(5) }));
    const verified = new N8nClient({
      baseUrl: fake.url,
      apiKey: KEY,
      maxRetries: 2,
      verified: true,
      sleep: async () => {},
    });
    fake.faults.html(1);
    expect((await collect(verified)).flatMap((p) => p.ids)).toEqual(descending(5, 1));
    expect(fake.faults.fired.html).toBe(1);
  });

  it("reports HTML on the last attempt as invalid_response when verified, as not_n8n when not", async () => {
    const { fake } = await setup(new InMemorySource({ executions: executions(5) }));
    const make = (verified: boolean) =>
      new N8nClient({ baseUrl: fake.url, apiKey: KEY, maxRetries: 0, verified, sleep: async () => {} });

    fake.faults.html(1);
    const trusted = await n8nFailure(make(true).executionPages().next());
    expect(trusted).toMatchObject({ kind: "invalid_response", transient: true });
    expect(trusted.message).toContain("text/html");

    fake.faults.html(1);
    const unknown = await n8nFailure(make(false).executionPages().next());
    expect(unknown).toMatchObject({ kind: "not_n8n", transient: false });
  });

  it("a proxy's 404 page is transient for a verified URL, a wrong URL for a new one", async () => {
    let hits = 0;
    const proxy = createHttpServer((_req, res) => {
      hits += 1;
      res.writeHead(404, { "content-type": "text/html" });
      res.end("<html><body>404 Not Found</body></html>");
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const { port } = proxy.address() as { port: number };
    try {
      const make = (verified: boolean) =>
        new N8nClient({
          baseUrl: `http://127.0.0.1:${port}`,
          apiKey: KEY,
          maxRetries: 1,
          verified,
          sleep: async () => {},
        });
      expect(await n8nFailure(make(true).executionPages().next())).toMatchObject({
        kind: "invalid_response",
        status: 404,
      });
      expect(hits).toBe(2);
      expect(await n8nFailure(make(false).executionPages().next())).toMatchObject({ kind: "not_n8n", status: 404 });
      expect(hits).toBe(3);
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it("calls onVerified once, on the first answer of a URL not yet verified", async () => {
    const { fake } = await setup(new InMemorySource({ executions: executions(5) }));
    const calls: string[] = [];
    const fresh = new N8nClient({ baseUrl: fake.url, apiKey: KEY, onVerified: () => calls.push("fresh") });
    await collect(fresh);
    await collect(fresh);
    const known = new N8nClient({
      baseUrl: fake.url,
      apiKey: KEY,
      verified: true,
      onVerified: () => calls.push("known"),
    });
    await collect(known);
    expect(calls).toEqual(["fresh"]);
  });
});

describe("connectN8n: verification remembered per client", () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createTestDatabase();
  });
  afterAll(() => handle.close());

  const verifiedAt = async (id: number) =>
    (await handle.db.select({ at: clients.n8nVerifiedAt }).from(clients).where(eq(clients.id, id)))[0].at;

  it("stores the first answer, trusts the URL from then on, and forgets it when the URL changes", async () => {
    const { fake } = await setup(new InMemorySource({ executions: executions(5) }));
    const client = await createClient(handle.db, { n8nBaseUrl: fake.url, n8nApiKey: KEY });
    expect(client.n8nVerifiedAt).toBeNull();

    // Not verified yet: a proxy page on the first execution page reads as a wrong URL.
    fake.faults.html(1, { path: "/api/v1/executions" });
    const first = connectN8n(client, { db: handle.db, maxRetries: 0 });
    expect(await n8nFailure(first.executionPages().next())).toMatchObject({ kind: "not_n8n" });
    expect(await verifiedAt(client.id)).toBeNull();

    // It answers like n8n: remembered (in the background, so waited for here).
    await collect(connectN8n(client, { db: handle.db, maxRetries: 0 }));
    await vi.waitFor(async () => expect(await verifiedAt(client.id)).toBeInstanceOf(Date));

    // The next sync's client trusts the URL: the same proxy page is a transient error.
    const [stored] = await handle.db.select().from(clients).where(eq(clients.id, client.id));
    fake.faults.html(1, { path: "/api/v1/executions" });
    const err = await n8nFailure(connectN8n(stored, { db: handle.db, maxRetries: 0 }).executionPages().next());
    expect(err).toMatchObject({ kind: "invalid_response", transient: true });
    // With a retry, the sync goes on as if nothing happened.
    fake.faults.html(1, { path: "/api/v1/executions" });
    expect(
      (await collect(connectN8n(stored, { db: handle.db, maxRetries: 1, sleep: async () => {} }))).flatMap(
        (p) => p.ids,
      ),
    ).toHaveLength(5);

    // The same URL keeps it; a new address must answer for itself.
    await updateClient(handle.db, client.id, { n8nBaseUrl: fake.url, name: "Renamed" });
    expect(await verifiedAt(client.id)).toBeInstanceOf(Date);
    await updateClient(handle.db, client.id, { n8nBaseUrl: `${fake.url}/n8n`, n8nApiKey: KEY });
    expect(await verifiedAt(client.id)).toBeNull();
  });
});

describe("n8n schemas", () => {
  it("normalises numeric ids, unknown statuses and absent fields", () => {
    const e = N8nExecution.parse({
      id: 12,
      finished: true,
      mode: "webhook",
      retryOf: null,
      status: "paused-by-future-n8n",
      startedAt: "2025-03-12T15:00:00.000Z",
      stoppedAt: null,
      workflowId: 1000,
      waitTill: null,
      storedAt: "db",
      jsonSizeBytes: 120,
    });
    expect(e).toMatchObject({ id: "12", workflowId: "1000", status: "unknown", retrySuccessId: null, stoppedAt: null });
    expect(e.startedAt).toEqual(new Date("2025-03-12T15:00:00Z"));
    expect("storedAt" in e).toBe(false);
    expect(N8nExecution.safeParse({ id: "abc", workflowId: "1" }).success).toBe(false);
    expect(N8nExecution.safeParse({ id: "1", workflowId: "1", startedAt: "yesterday" }).success).toBe(false);
    const w = N8nWorkflow.parse({ id: 5, name: "X", settings: null, tags: null });
    expect(w).toMatchObject({ id: "5", active: false, isArchived: false, tags: [], nodes: [], settings: {} });
  });
});

describe("N8nClient: text PostgreSQL cannot store", () => {
  const NUL = "\u0000";
  const LONE = "\ud800";

  it("removes NUL and replaces lone surrogates in every string, keys included", async () => {
    const source = new InMemorySource({
      workflows: [
        {
          id: "w1",
          name: `Invoice${NUL} sync ${LONE}end`,
          tags: [`prod${NUL}`],
          // An escaped backslash before "u0000" is text, not a NUL: it stays as it is.
          nodes: [
            { name: `Go${NUL}`, type: "n8n-nodes-base.set", parameters: { [`ke${NUL}y`]: `C:\\u0000dir${NUL}` } },
          ],
        },
      ],
      executions: [
        {
          id: 1,
          workflowId: "w1",
          status: "success",
          startedAt: NOW,
          stoppedAt: NOW,
          customData: { [`order${NUL}Id`]: `42${NUL}${LONE}`, [`${LONE}key`]: "ok" },
        },
      ],
    });
    const { client } = await setup(source);
    const [workflow] = ((await client.workflowPages().next()).value ?? []) as N8nWorkflow[];
    expect(workflow.name).toBe("Invoice sync \ufffdend");
    expect(workflow.tags.map((t) => t.name)).toEqual(["prod"]);
    expect(workflow.nodes[0]).toMatchObject({ name: "Go", parameters: { key: "C:\\u0000dir" } });

    const [execution] = (await client.executionPages().next()).value?.executions ?? [];
    expect(execution.customData).toEqual({ orderId: "42\ufffd", "\ufffdkey": "ok" });
    // What the sync writes to jsonb columns must be accepted by PostgreSQL's parser too.
    expect(JSON.stringify(execution.customData)).not.toMatch(/\\u(0000|d[89a-f])/i);
  });

  it("keeps surrogate pairs, cleans lone halves, and never turns a cleaned key into a prototype", async () => {
    const body = String.raw`{"data":[{"id":"1","workflowId":"w","customData":{"emoji":"\ud83d\ude00","low":"a\udc00b"},"data":{"__pro\u0000to__":{"polluted":"yes"}}}],"nextCursor":null}`;
    const fetchFn: typeof fetch = async () => new Response(body, { headers: { "content-type": "application/json" } });
    const client = new N8nClient({ baseUrl: "http://127.0.0.1:9", apiKey: KEY, fetch: fetchFn, maxRetries: 0 });
    const [execution] = (await client.executionPages({ includeData: true }).next()).value?.executions ?? [];
    expect(execution.customData.emoji).toBe("😀");
    expect(execution.customData.low).toBe("a\ufffdb");
    // Run data passes through unparsed by the schema: a key cleaned into "__proto__" must stay a key.
    const data = execution.data as Record<string, unknown>;
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(Object.keys(data)).toEqual(["__proto__"]);
  });
});
