import { afterEach, describe, expect, it } from "vitest";
import {
  createDemoSource,
  GeneratedSource,
  InMemorySource,
  startFakeN8n,
  type FakeExecutionInput,
  type FakeExecutionJson,
  type FakeN8n,
  type FakeSource,
} from "@/lib/n8n/fake";

/**
 * The fake n8n must behave as CONTRACT.md says real n8n does: other tests trust it.
 * These tests speak raw HTTP to it, without Flowscope's client.
 */
const KEY = "test-key";
const NOW = new Date("2025-03-12T15:00:00Z");
const servers: FakeN8n[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(source: FakeSource, now?: () => Date) {
  const fake = await startFakeN8n({ apiKey: KEY, source, now });
  servers.push(fake);
  const get = async (path: string, key: string | null = KEY) => {
    const res = await fetch(`${fake.url}${path}`, { headers: key === null ? {} : { "X-N8N-API-KEY": key } });
    const text = await res.text();
    let body: any = undefined;
    try {
      body = JSON.parse(text);
    } catch {
      // asserted by the caller through `text`
    }
    return { status: res.status, headers: res.headers, text, body };
  };
  return { fake, get };
}

function executions(
  count: number,
  patch: (id: number) => Partial<FakeExecutionInput> = () => ({}),
): FakeExecutionInput[] {
  return Array.from({ length: count }, (_, i) => {
    const id = i + 1;
    const startedAt = new Date(NOW.getTime() - (count - i) * 60_000);
    return {
      id,
      workflowId: id % 2 ? "wf-a" : "wf-b",
      status: "success",
      startedAt,
      stoppedAt: new Date(startedAt.getTime() + 1500),
      ...patch(id),
    };
  });
}

const decode = (cursor: string) => JSON.parse(Buffer.from(cursor, "base64").toString("utf8"));
const ids = (page: { data: FakeExecutionJson[] }) => page.data.map((e) => Number(e.id));

describe("fake n8n: auth and routes", () => {
  it("answers 401 with a message for a missing or wrong key", async () => {
    const { get } = await serve(new InMemorySource());
    const missing = await get("/api/v1/executions", null);
    expect(missing.status).toBe(401);
    expect(missing.body.message).toContain("X-N8N-API-KEY");
    const wrong = await get("/api/v1/workflows", "nope");
    expect(wrong.status).toBe(401);
    expect(typeof wrong.body.message).toBe("string");
  });

  it("serves the editor's HTML outside the API and 404 JSON on unknown API paths", async () => {
    const { get } = await serve(new InMemorySource());
    const editor = await get("/some/page");
    expect(editor.status).toBe(200);
    expect(editor.headers.get("content-type")).toContain("text/html");
    const unknown = await get("/api/v1/credentials");
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ message: "not found" });
  });

  it("rejects unknown query parameters, bad limits and bad cursors with 400", async () => {
    const { get } = await serve(new InMemorySource({ executions: executions(3) }));
    expect((await get("/api/v1/executions?startedAfter=2025-01-01")).status).toBe(400);
    expect((await get("/api/v1/executions?limit=251")).body.message).toContain("<= 250");
    expect((await get("/api/v1/executions?limit=0")).status).toBe(400);
    expect((await get("/api/v1/executions?includeData=yes")).status).toBe(400);
    expect((await get("/api/v1/executions?status=done")).status).toBe(400);
    const bad = await get("/api/v1/executions?cursor=not-a-cursor");
    expect(bad).toMatchObject({ status: 400, body: { message: "An invalid cursor was provided" } });
    const noLastId = Buffer.from(JSON.stringify({ limit: 10 })).toString("base64");
    expect((await get(`/api/v1/executions?cursor=${noLastId}`)).status).toBe(400);
  });
});

describe("fake n8n: executions list", () => {
  it("pages newest first with n8n's cursor, 100 by default", async () => {
    const { get } = await serve(new InMemorySource({ executions: executions(230) }));
    const first = await get("/api/v1/executions");
    expect(ids(first.body)).toEqual(Array.from({ length: 100 }, (_, i) => 230 - i));
    expect(decode(first.body.nextCursor)).toEqual({ lastId: "131", limit: 100 });
    const second = await get(`/api/v1/executions?cursor=${encodeURIComponent(first.body.nextCursor)}`);
    expect(ids(second.body)[0]).toBe(130);
    const third = await get(`/api/v1/executions?cursor=${encodeURIComponent(second.body.nextCursor)}`);
    expect(ids(third.body)).toEqual(Array.from({ length: 30 }, (_, i) => 30 - i));
    expect(third.body.nextCursor).toBeNull();
  });

  it("gives a null cursor when the page ends exactly at the oldest execution", async () => {
    const { get } = await serve(new InMemorySource({ executions: executions(50) }));
    const page = await get("/api/v1/executions?limit=50");
    expect(page.body.data).toHaveLength(50);
    expect(page.body.nextCursor).toBeNull();
  });

  it("leaves running executions out of the list but serves them by id", async () => {
    const source = new InMemorySource({
      executions: executions(5, (id) => (id === 4 ? { status: "running", stoppedAt: null } : {})),
    });
    const { get } = await serve(source);
    expect(ids((await get("/api/v1/executions")).body)).toEqual([5, 3, 2, 1]);
    const one = await get("/api/v1/executions/4");
    expect(one.body).toMatchObject({ id: "4", status: "running", stoppedAt: null, finished: false });
    expect((await get("/api/v1/executions/99")).status).toBe(404);
    expect((await get("/api/v1/executions/abc")).status).toBe(400);
  });

  it("adds run data only with includeData=true", async () => {
    const error = { resultData: { runData: {}, error: { message: "boom", node: { name: "HTTP" } } } };
    const source = new InMemorySource({
      executions: executions(2, (id) => (id === 2 ? { status: "error", data: error } : {})),
    });
    const { get } = await serve(source);
    const plain = await get("/api/v1/executions");
    expect(plain.body.data.every((e: object) => !("data" in e))).toBe(true);
    const full = await get("/api/v1/executions?includeData=true");
    expect(full.body.data[0].data).toEqual(error);
    expect(full.body.data[0].finished).toBe(false);
    expect(full.body.data[1].data.resultData.runData).toEqual({});
    expect((await get("/api/v1/executions/2?includeData=true")).body.data).toEqual(error);
    expect((await get("/api/v1/executions/2")).body.data).toBeUndefined();
  });

  it("filters by workflowId and status, and the cursor keeps the page size", async () => {
    const source = new InMemorySource({
      executions: executions(20, (id) => (id % 5 === 0 ? { status: "error" } : {})),
    });
    const { get } = await serve(source);
    const a = await get("/api/v1/executions?workflowId=wf-a&limit=4");
    expect(ids(a.body)).toEqual([19, 17, 15, 13]);
    const next = await get(`/api/v1/executions?workflowId=wf-a&cursor=${encodeURIComponent(a.body.nextCursor)}`);
    expect(ids(next.body)).toEqual([11, 9, 7, 5]);
    const errors = await get("/api/v1/executions?status=error");
    expect(ids(errors.body)).toEqual([20, 15, 10, 5]);
    expect(errors.body.nextCursor).toBeNull();
  });
});

describe("fake n8n: workflows", () => {
  it("pages workflows with an offset cursor and filters", async () => {
    const { get } = await serve(createDemoSource(() => NOW));
    const first = await get("/api/v1/workflows?limit=4");
    expect(first.body.data.map((w: { name: string }) => w.name)).toEqual([
      "Invoice sync",
      "Lead enrichment (AI)",
      "Support triage (AI)",
      "Slack digest",
    ]);
    expect(decode(first.body.nextCursor)).toEqual({ limit: 4, offset: 4 });
    const rest = await get(`/api/v1/workflows?cursor=${encodeURIComponent(first.body.nextCursor)}&limit=100`);
    expect(rest.body.data).toHaveLength(4);
    const third = await get(`/api/v1/workflows?cursor=${encodeURIComponent(rest.body.nextCursor)}`);
    expect(third.body.data.map((w: { name: string }) => w.name)).toEqual(["[dev] CRM migration", "Old newsletter"]);
    expect(third.body.nextCursor).toBeNull();
    expect(third.body.data[1]).toMatchObject({ isArchived: true, active: false });

    const staging = await get("/api/v1/workflows?tags=staging");
    expect(staging.body.data.map((w: { name: string }) => w.name)).toEqual(["[dev] CRM migration"]);
    const invoice = first.body.data[0];
    expect(invoice.settings.timeSavedPerExecution).toBe(5);
    expect(invoice.tags.map((t: { name: string }) => t.name)).toContain("production");
    const lead = first.body.data[1];
    const model = lead.nodes.find((n: { type: string }) => n.type === "@n8n/n8n-nodes-langchain.lmChatOpenAi");
    expect(model.parameters.model.value).toBe("gpt-4o-mini");
  });
});

describe("fake n8n: faults", () => {
  it("serves each armed fault once per request, then answers normally", async () => {
    const { fake, get } = await serve(new InMemorySource({ executions: executions(4) }));
    fake.faults.serverErrors(1).rateLimit(1, 7).html(1).truncated(1).serverErrors(1, 503);
    const e500 = await get("/api/v1/executions");
    expect(e500.status).toBe(500);
    const e429 = await get("/api/v1/executions");
    expect(e429.status).toBe(429);
    expect(e429.headers.get("retry-after")).toBe("7");
    expect(e429.headers.get("x-ratelimit-remaining")).toBe("0");
    const html = await get("/api/v1/executions");
    expect(html.status).toBe(200);
    expect(html.headers.get("content-type")).toContain("text/html");
    const cut = await get("/api/v1/executions");
    expect(cut.status).toBe(200);
    expect(cut.body).toBeUndefined();
    const whole = await get("/api/v1/executions");
    expect(whole.status).toBe(503);
    const ok = await get("/api/v1/executions");
    expect(ok.status).toBe(200);
    // The truncated answer was the start of the real one.
    expect(ok.text.startsWith(cut.text)).toBe(true);
    expect(cut.text.length).toBe(Math.floor(ok.text.length / 2));
    expect(fake.faults.fired).toEqual({ serverError: 2, rateLimit: 1, delay: 0, truncated: 1, html: 1 });
    expect(fake.requests.map((r) => r.status)).toEqual([500, 429, 200, 200, 503, 200]);
  });

  it("restricts a fault to a path prefix, delays answers, and resets", async () => {
    const { fake, get } = await serve(new InMemorySource({ executions: executions(2) }));
    fake.faults.serverErrors(5, 502, { path: "/api/v1/workflows" }).delay(150, { times: 1 });
    const started = Date.now();
    expect((await get("/api/v1/executions")).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect((await get("/api/v1/workflows")).status).toBe(502);
    fake.faults.reset();
    expect((await get("/api/v1/workflows")).status).toBe(200);
    expect(fake.faults.fired.serverError).toBe(0);
    expect(fake.requests.map((r) => [r.path, r.status])).toEqual([
      ["/api/v1/executions", 200],
      ["/api/v1/workflows", 502],
      ["/api/v1/workflows", 200],
    ]);
  });
});

describe("generated source", () => {
  const at = (iso: string) => () => new Date(iso);

  it("is deterministic: same seed, same executions; another seed, others", () => {
    const make = (seed: number) =>
      new GeneratedSource({ seed, executionsPerHour: 120, historyDays: 3, now: at("2025-03-12T15:00:00Z") });
    const query = { beforeId: null, limit: 250, includeData: true, now: NOW };
    const a = make(1).listExecutions(query);
    expect(make(1).listExecutions(query)).toEqual(a);
    expect(
      make(2)
        .listExecutions(query)
        .map((e) => e.workflowId),
    ).not.toEqual(a.map((e) => e.workflowId));
    // A slot's execution does not depend on what was asked before.
    const mid = a[100];
    expect(make(1).getExecution(Number(mid.id), { includeData: true, now: NOW })).toEqual(mid);
  });

  it("serves a deep page of 200,000 executions fast and identically twice", async () => {
    const source = new GeneratedSource({
      seed: 9,
      executionsPerHour: 200_000 / 48,
      historyDays: 2,
      dailyPattern: false,
      now: at("2025-03-12T15:00:00Z"),
    });
    const { get } = await serve(source);
    const head = await get("/api/v1/executions?limit=1");
    const newest = Number(head.body.data[0].id);
    const cursor = Buffer.from(JSON.stringify({ lastId: String(newest - 150_000), limit: 250 })).toString("base64");
    const started = performance.now();
    const one = await get(`/api/v1/executions?includeData=true&cursor=${encodeURIComponent(cursor)}`);
    const elapsed = performance.now() - started;
    const two = await get(`/api/v1/executions?includeData=true&cursor=${encodeURIComponent(cursor)}`);
    expect(one.text).toBe(two.text);
    expect(elapsed).toBeLessThan(500);
    // Without the daily pattern every slot holds one execution: consecutive ids.
    expect(ids(one.body)).toEqual(Array.from({ length: 250 }, (_, i) => newest - 150_001 - i));
    expect(decode(one.body.nextCursor)).toEqual({ lastId: String(newest - 150_250), limit: 250 });
    const total = source.countListed();
    expect(total).toBeGreaterThan(199_900);
    expect(total).toBeLessThanOrEqual(200_000);
  });

  it("serves only the last historyDays, and new executions appear as time passes", () => {
    let now = new Date("2025-03-12T15:00:00Z");
    const source = new GeneratedSource({ seed: 3, executionsPerHour: 30, historyDays: 2, now: () => now });
    const list = () => source.listExecutions({ beforeId: null, limit: 10_000, includeData: false, now });
    const before = list();
    const oldest = Date.parse(before[before.length - 1].startedAt as string);
    expect(oldest).toBeGreaterThanOrEqual(now.getTime() - 2 * 86_400_000);
    expect(oldest).toBeLessThan(now.getTime() - 2 * 86_400_000 + 3_600_000);
    for (const e of before) expect(Date.parse(e.startedAt as string)).toBeLessThanOrEqual(now.getTime());
    now = new Date(now.getTime() + 3 * 3_600_000);
    const after = list();
    expect(Number(after[0].id)).toBeGreaterThan(Number(before[0].id));
    // Pruned at the old end, as n8n does.
    expect(Number(after[after.length - 1].id)).toBeGreaterThan(Number(before[before.length - 1].id));
  });

  it("hides an execution while it runs, then lists it finished", () => {
    const source = new GeneratedSource({ seed: 5, executionsPerHour: 60, historyDays: 1, dailyPattern: false });
    const e = source.listExecutions({ beforeId: null, limit: 1, includeData: false, now: NOW })[0];
    const id = Number(e.id);
    const started = new Date(Date.parse(e.startedAt as string) + 1);
    const listedWhileRunning = source.listExecutions({ beforeId: id + 1, limit: 1, includeData: false, now: started });
    expect(listedWhileRunning.map((x) => x.id)).not.toContain(e.id);
    expect(source.getExecution(id, { includeData: false, now: started })).toMatchObject({
      status: "running",
      stoppedAt: null,
    });
    const done = new Date(Date.parse(e.stoppedAt as string));
    expect(source.getExecution(id, { includeData: false, now: done })).toEqual(e);
  });

  it("turns waiting executions into finished ones with a later stoppedAt", () => {
    const source = createDemoSource(() => NOW);
    const waiting = source.listExecutions({
      beforeId: null,
      limit: 5_000,
      status: "waiting",
      includeData: false,
      now: NOW,
    });
    expect(waiting.length).toBeGreaterThan(0);
    const w = waiting[0];
    expect(w.waitTill).not.toBeNull();
    expect(w.stoppedAt).not.toBeNull();
    const later = new Date(Date.parse(w.waitTill as string) + 3_600_000);
    const done = source.getExecution(Number(w.id), { includeData: false, now: later });
    expect(done).toMatchObject({ id: w.id, status: "success", finished: true, waitTill: null });
    expect(Date.parse(done?.stoppedAt as string)).toBeGreaterThan(Date.parse(w.waitTill as string));
  });

  it("looks like a real agency instance", () => {
    const source = createDemoSource(() => NOW);
    const all = source.listExecutions({ beforeId: null, limit: 100_000, includeData: false, now: NOW });
    expect(all.length).toBeGreaterThan(15_000);
    expect(all.length).toBeLessThan(30_000);
    const share = (f: (e: FakeExecutionJson) => boolean) => all.filter(f).length / all.length;
    expect(share((e) => e.status === "error")).toBeGreaterThan(0.04);
    expect(share((e) => e.status === "error")).toBeLessThan(0.12);
    expect(share((e) => e.mode === "manual")).toBeGreaterThan(0.03);
    expect(share((e) => e.mode === "manual")).toBeLessThan(0.15);
    expect(share((e) => e.status === "crashed")).toBeGreaterThan(0);
    expect(share((e) => e.status === "canceled")).toBeGreaterThan(0);
    expect(share((e) => "storedAt" in e)).toBeGreaterThan(0.3);
    expect(all.every((e) => e.finished === (e.status === "success"))).toBe(true);

    const byId = new Map(all.map((e) => [e.id, e]));
    const retries = all.filter((e) => e.mode === "retry");
    expect(retries.length).toBeGreaterThan(50);
    for (const r of retries) {
      const original = byId.get(r.retryOf as string);
      if (!original) continue; // pruned
      expect(original.status).toBe("error");
      expect(original.workflowId).toBe(r.workflowId);
      expect(Number(original.id)).toBeLessThan(Number(r.id));
      expect(original.retrySuccessId).toBe(r.status === "success" ? r.id : null);
    }
    const durations = all.map((e) => Date.parse(e.stoppedAt as string) - Date.parse(e.startedAt as string));
    expect(Math.min(...durations)).toBeLessThan(1_000);
    expect(Math.max(...durations)).toBeGreaterThan(5 * 60_000);
  });

  it("puts token usage of AI workflows and node errors in the run data", () => {
    const source = createDemoSource(() => NOW);
    const page = source.listExecutions({
      beforeId: null,
      limit: 400,
      workflowId: "Lq3Hs9dPw2EaR7cY",
      includeData: true,
      now: NOW,
    });
    const usages: Array<{ key: string; totalTokens: number }> = [];
    for (const e of page) {
      const runs = (e.data as any).resultData.runData["OpenAI Chat Model"] ?? [];
      for (const run of runs) {
        expect(run).toMatchObject({ executionStatus: "success" });
        const json = run.data.ai_languageModel[0][0].json;
        const key = "tokenUsage" in json ? "tokenUsage" : "tokenUsageEstimate";
        const usage = json[key];
        expect(usage.totalTokens).toBe(usage.promptTokens + usage.completionTokens);
        usages.push({ key, totalTokens: usage.totalTokens });
      }
    }
    expect(usages.filter((u) => u.key === "tokenUsage").length).toBeGreaterThan(100);
    expect(usages.filter((u) => u.key === "tokenUsageEstimate").length).toBeGreaterThan(5);

    const failed = page.filter((e) => e.status === "error");
    expect(failed.length).toBeGreaterThan(5);
    for (const e of failed) {
      const error = (e.data as any).resultData.error;
      expect(["AI Agent", "Update HubSpot"]).toContain(error.node.name);
      expect(error.message.length).toBeGreaterThan(5);
    }
  });
});

describe("generated source: dense ids, as n8n's sequence allocates them", () => {
  const DAY_MS = 86_400_000;
  const listAll = (source: FakeSource, now: Date) =>
    source.listExecutions({ beforeId: null, limit: 100_000, includeData: false, now });
  const byId = (source: FakeSource, id: number | string, now: Date) =>
    source.getExecution(Number(id), { includeData: false, now });

  it("lists the demo's whole history without an id gap but for running executions, served by id", () => {
    // A moment when an execution runs, hidden from the list, below newer finished ones.
    const now = new Date("2025-03-12T16:43:00Z");
    const source = createDemoSource(() => now);
    const all = listAll(source, now);
    expect(all.length).toBeGreaterThan(15_000);
    const listed = all.map((e) => Number(e.id));
    const hidden: number[] = [];
    for (let i = 1; i < listed.length; i++) {
      expect(listed[i]).toBeLessThan(listed[i - 1]);
      for (let id = listed[i] + 1; id < listed[i - 1]; id++) hidden.push(id);
    }
    expect(hidden.length).toBeGreaterThan(0);
    expect(hidden.length).toBeLessThan(10);
    for (const id of hidden)
      expect(byId(source, id, now)).toMatchObject({ id: String(id), status: "running", stoppedAt: null });
  });

  it("keeps each execution's id as time passes and across restarts; pruned ids answer null", () => {
    let now = NOW;
    const source = createDemoSource(() => now);
    const before = listAll(source, now);
    now = new Date(NOW.getTime() + 3 * DAY_MS);
    const after = listAll(source, now);
    const restarted = listAll(
      createDemoSource(() => now),
      now,
    );
    expect(restarted).toEqual(after);
    const afterById = new Map(after.map((e) => [e.id, e]));
    const cutoff = now.getTime() - 30 * DAY_MS;
    let kept = 0;
    for (const e of before) {
      const same = afterById.get(e.id);
      if (Date.parse(e.startedAt as string) < cutoff) {
        expect(same).toBeUndefined();
        expect(byId(source, e.id, now)).toBeNull();
        continue;
      }
      kept++;
      expect(same).toMatchObject({
        startedAt: e.startedAt,
        workflowId: e.workflowId,
        mode: e.mode,
        retryOf: e.retryOf,
      });
    }
    expect(kept).toBeGreaterThan(before.length * 0.8);
    expect(kept).toBeLessThan(before.length);
    // The ids that came after continue the sequence.
    expect(Number(after[0].id) - Number(before[0].id)).toBeGreaterThan(1_000);
    expect(after.length).toBeGreaterThan(15_000);
  });

  it("names the original run's id in a retry's retryOf, and the retry's in its retrySuccessId", () => {
    const source = createDemoSource(() => NOW);
    const retries = listAll(source, NOW).filter((e) => e.mode === "retry");
    let checked = 0;
    for (const r of retries) {
      const original = byId(source, r.retryOf as string, NOW);
      if (!original) continue; // pruned
      checked++;
      expect(Number(original.id)).toBeLessThan(Number(r.id));
      expect(original).toMatchObject({
        status: "error",
        workflowId: r.workflowId,
        retrySuccessId: r.status === "success" ? r.id : null,
      });
      // Retried a few minutes later (a few slots on).
      expect(Date.parse(r.startedAt as string) - Date.parse(original.startedAt as string)).toBeLessThan(6 * 60_000);
    }
    expect(checked).toBeGreaterThan(50);
  });

  it("answers null for an id beyond the newest execution, until it is allocated", () => {
    let now = NOW;
    const source = createDemoSource(() => now);
    let newest = Number(listAll(source, now)[0].id);
    while (byId(source, newest + 1, now) !== null) newest++; // running ones are not listed
    expect(byId(source, newest, now)).not.toBeNull();
    expect(byId(source, newest + 1, now)).toBeNull();
    expect(byId(source, newest + 1_000_000, now)).toBeNull();
    expect(byId(source, 0, now)).toBeNull();
    expect(source.listExecutions({ beforeId: newest + 50, limit: 1, includeData: false, now })[0].id).toBe(
      listAll(source, now)[0].id,
    );
    now = new Date(NOW.getTime() + 3_600_000);
    const next = byId(source, newest + 1, now);
    expect(Date.parse(next?.startedAt as string)).toBeGreaterThan(NOW.getTime());
  });

  it("starts at startId; without the daily pattern the ids are startId + slot", () => {
    const now = new Date("2025-03-12T15:00:00Z");
    const epoch = new Date(now.getTime() - DAY_MS);
    const make = (dailyPattern: boolean) =>
      new GeneratedSource({ seed: 4, executionsPerHour: 60, historyDays: 2, epoch, startId: 500, dailyPattern });
    for (const dailyPattern of [true, false]) {
      const all = listAll(make(dailyPattern), now);
      expect(Number(all[all.length - 1].id)).toBe(500);
      expect(Number(all[0].id)).toBe(499 + all.length);
    }
    // Slot i starts in minute i after the epoch.
    const flat = listAll(make(false), now);
    for (const e of flat.slice(0, 50)) {
      expect(Math.floor((Date.parse(e.startedAt as string) - epoch.getTime()) / 60_000)).toBe(Number(e.id) - 500);
    }
  });
});
