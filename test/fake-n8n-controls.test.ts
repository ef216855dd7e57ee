import { afterEach, describe, expect, it } from "vitest";
import { describeSchedule, expectedRunTimes } from "@/lib/alerts/schedule-trigger";
import type { ScheduleTriggerNode } from "@/lib/core/vocabulary";
import {
  ControlError,
  createDemoSource,
  DEFAULT_WORKFLOWS,
  GeneratedSource,
  InMemorySource,
  startFakeN8n,
  type FakeExecutionJson,
  type FakeN8n,
  type FakeSource,
} from "@/lib/n8n/fake";

/**
 * The fake n8n's schedules and controls, which the alert tests and the demo rely on:
 * scheduled workflows run exactly when their trigger's parameters say, and a test can
 * make a workflow fail, stop it, or add stuck executions, from the source's clock on.
 */
const KEY = "test-key";
const HOUR = 3_600_000;
const NOW = new Date("2025-03-12T15:00:00Z");
const INVOICE = "Vb8kQ2mXr4TzN1pL"; // every 15 minutes, Europe/Berlin
const LEAD = "Lq3Hs9dPw2EaR7cY"; // webhook, no schedule
const SCHEDULED = DEFAULT_WORKFLOWS.filter((w) => w.schedule && w.active !== false);

const servers: FakeN8n[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A small generated source on a clock the test moves (its epoch close by: little to count). */
function clocked(start = NOW) {
  const clock = { now: start };
  const source = new GeneratedSource({
    seed: 42,
    executionsPerHour: 60,
    historyDays: 2,
    epoch: new Date(start.getTime() - 3 * 24 * HOUR),
    now: () => clock.now,
  });
  const advance = (ms: number) => (clock.now = new Date(clock.now.getTime() + ms));
  return { source, clock, advance };
}

const listAll = (source: FakeSource, now: Date, includeData = false) =>
  source.listExecutions({ beforeId: null, limit: 100_000, includeData, now });
const startedAfter = (list: FakeExecutionJson[], t: Date) =>
  list.filter((e) => Date.parse(e.startedAt as string) > t.getTime());
/** Those still in the 2-day history at `now` (older ones are pruned, as n8n does). */
const kept = (list: FakeExecutionJson[], now: Date) => startedAfter(list, new Date(now.getTime() - 2 * 24 * HOUR));
const triggerStarts = (list: FakeExecutionJson[], workflowId: string) =>
  list
    .filter((e) => e.workflowId === workflowId && e.mode === "trigger")
    .map((e) => Date.parse(e.startedAt as string))
    .sort((a, b) => a - b);
const nodesOf = (workflowId: string) =>
  (DEFAULT_WORKFLOWS.find((w) => w.id === workflowId)?.nodes ?? []) as ScheduleTriggerNode[];

/** Ids newest first without a gap but for executions running now; each served alike by id. */
function expectDense(source: FakeSource, now: Date) {
  const all = listAll(source, now);
  for (let i = 1; i < all.length; i++) {
    const [newer, older] = [Number(all[i - 1].id), Number(all[i].id)];
    expect(older).toBeLessThan(newer);
    for (let id = older + 1; id < newer; id++) {
      expect(source.getExecution(id, { includeData: false, now })).toMatchObject({ status: "running" });
    }
  }
  for (const e of all.slice(0, 300)) expect(source.getExecution(Number(e.id), { includeData: false, now })).toEqual(e);
  return all;
}

describe("fake n8n: scheduled workflows", () => {
  it("carry Schedule Trigger parameters that read as the schedule they run on", () => {
    expect(SCHEDULED.map((w) => w.name)).toEqual(["Invoice sync", "Slack digest", "Nightly DB backup"]);
    for (const w of DEFAULT_WORKFLOWS.filter((s) => s.schedule)) {
      const triggers = (w.nodes ?? []).filter((n) => /scheduleTrigger|\.cron$/.test(n.type)) as ScheduleTriggerNode[];
      const read = describeSchedule(triggers);
      expect(read.ignored).toEqual([]);
      expect(read.understood.map((r) => r.cron)).toEqual(w.schedule);
    }
  });

  it("serves the nodes' parameters and the workflow's time zone, as n8n does", () => {
    const invoice = createDemoSource(() => NOW).workflows()[0] as {
      nodes: Array<{ type: string; parameters: unknown }>;
      settings: Record<string, unknown>;
    };
    expect(invoice.nodes[0]).toMatchObject({
      type: "n8n-nodes-base.scheduleTrigger",
      parameters: { rule: { interval: [{ field: "minutes", minutesInterval: 15 }] } },
    });
    expect(invoice.settings).toMatchObject({ timezone: "Europe/Berlin", timeSavedPerExecution: 5 });
  });

  it.each([
    ["the demo (one slot a minute)", 60],
    ["the second demo client (one slot every 5 minutes)", 12],
  ])("start their automatic runs exactly when the trigger says, night and day, in %s", (_, perHour) => {
    const source = new GeneratedSource({ seed: 7, executionsPerHour: perHour, historyDays: 30, now: () => NOW });
    const all = listAll(source, NOW);
    const from = new Date(NOW.getTime() - 7 * 24 * HOUR);
    // Runs due in the last minutes may still be running, hence not listed.
    const to = new Date(NOW.getTime() - HOUR);
    const inWindow = all.filter(
      (e) => Date.parse(e.startedAt as string) >= from.getTime() && Date.parse(e.startedAt as string) < to.getTime(),
    );
    for (const w of SCHEDULED) {
      const expected = expectedRunTimes(nodesOf(w.id), w.settings?.timezone ?? "UTC", from, to).map((d) => d.getTime());
      expect(triggerStarts(inWindow, w.id)).toEqual(expected);
    }
    expect(expectedRunTimes(nodesOf(INVOICE), "UTC", from, to)).toHaveLength(7 * 96 - 4);
    // Inactive workflows never fire, whatever their trigger says.
    expect(all.filter((e) => e.workflowId === "Ar0Ch1Iv2Ed3Wf4L")).toEqual([]);
  });
});

describe("fake n8n controls: fail a workflow", () => {
  it("fails every run that starts from now, with the error shape of a failure, until switched off", () => {
    const { source, clock, advance } = clocked();
    const before = listAll(source, clock.now);
    const failFrom = clock.now;
    source.controls.failWorkflow(INVOICE);
    advance(3 * HOUR);
    const after = listAll(source, clock.now, true);
    const failed = startedAfter(after, failFrom).filter((e) => e.workflowId === INVOICE);
    expect(failed.length).toBeGreaterThanOrEqual(12);
    for (const e of failed) {
      expect(e).toMatchObject({ status: "error", finished: false });
      expect((e.data as any).resultData.error.node.name).toMatch(/^(Fetch invoices|Upsert in Xero)$/);
    }
    // What was served before is served alike; other workflows are untouched.
    const byId = new Map(after.map((e) => [e.id, e]));
    for (const e of kept(before, clock.now).filter((x) => x.status !== "waiting")) {
      expect(byId.get(e.id)).toMatchObject({ status: e.status, startedAt: e.startedAt });
    }
    expect(
      startedAfter(after, failFrom).filter((e) => e.workflowId === LEAD && e.status === "success").length,
    ).toBeGreaterThan(0);

    const stopFailing = clock.now;
    source.controls.failWorkflow(INVOICE, false);
    advance(6 * HOUR);
    const healed = startedAfter(listAll(source, clock.now), stopFailing).filter((e) => e.workflowId === INVOICE);
    expect(healed.filter((e) => e.status === "success").length).toBeGreaterThan(15);
    expect(source.controls.state().spans).toEqual([
      { workflowId: INVOICE, kind: "fail", from: failFrom.toISOString(), to: stopFailing.toISOString() },
    ]);
  });
});

describe("fake n8n controls: stop a workflow", () => {
  it("starts no run of it from now on, keeps every id dense and every served execution as it was", () => {
    const { source, clock, advance } = clocked();
    const before = expectDense(source, clock.now);
    const stoppedAt = clock.now;
    source.controls.stopWorkflow(INVOICE);
    advance(3 * HOUR);
    const after = expectDense(source, clock.now);
    expect(startedAfter(after, stoppedAt).filter((e) => e.workflowId === INVOICE)).toEqual([]);
    // The schedule said twelve runs: the missed-schedule rule's case.
    expect(expectedRunTimes(nodesOf(INVOICE), "Europe/Berlin", stoppedAt, clock.now)).toHaveLength(12);
    const byId = new Map(after.map((e) => [e.id, e]));
    for (const e of kept(before, clock.now)) {
      expect(byId.get(e.id)).toMatchObject({ workflowId: e.workflowId, startedAt: e.startedAt });
    }
    expect(startedAfter(after, stoppedAt).length).toBeGreaterThan(30);

    const resumedAt = clock.now;
    source.controls.stopWorkflow(INVOICE, false);
    advance(2 * HOUR);
    const resumed = expectDense(source, clock.now);
    const to = new Date(clock.now.getTime() - HOUR);
    const runs = resumed.filter((e) => Date.parse(e.startedAt as string) < to.getTime());
    expect(triggerStarts(startedAfter(runs, resumedAt), INVOICE)).toEqual(
      expectedRunTimes(nodesOf(INVOICE), "Europe/Berlin", new Date(resumedAt.getTime() + 1), to).map((d) =>
        d.getTime(),
      ),
    );
  });

  it("acts only from now on: a switch in the past or for an unknown workflow is refused", () => {
    const { source } = clocked();
    expect(() => source.controls.stopWorkflow(INVOICE, true, new Date(NOW.getTime() - 1))).toThrow(/from now on/);
    expect(() => source.controls.failWorkflow("nope")).toThrow(ControlError);
    expect(() => source.controls.failWorkflow("nope")).toThrow(expect.objectContaining({ status: 404 }));
  });
});

describe("fake n8n controls: injected executions", () => {
  it("adds a stuck running one (served by id, never listed) and a waiting one past its waitTill", () => {
    const { source, clock, advance } = clocked();
    const newest = Number(listAll(source, clock.now)[0].id);
    const [stuck] = source.controls.injectExecutions({
      workflowId: INVOICE,
      status: "running",
      startedAt: new Date(NOW.getTime() - 5 * HOUR),
    });
    const [parked] = source.controls.injectExecutions({
      workflowId: "Pw4Er6tYu8Io0PaS",
      status: "waiting",
      startedAt: new Date(NOW.getTime() - 2 * HOUR),
      waitTill: new Date(NOW.getTime() - HOUR),
    });
    expect(Number(stuck.id)).toBeGreaterThan(newest);
    expect(Number(parked.id)).toBe(Number(stuck.id) + 1);
    advance(HOUR);
    const all = expectDense(source, clock.now);
    expect(all.map((e) => e.id)).not.toContain(stuck.id);
    expect(source.getExecution(Number(stuck.id), { includeData: false, now: clock.now })).toMatchObject({
      status: "running",
      stoppedAt: null,
      startedAt: "2025-03-12T10:00:00.000Z",
      mode: "trigger",
    });
    expect(all.find((e) => e.id === parked.id)).toMatchObject({
      status: "waiting",
      waitTill: "2025-03-12T14:00:00.000Z",
      stoppedAt: expect.any(String),
    });
    // Generated runs after them take the next ids.
    expect(Number(all[0].id)).toBeGreaterThan(Number(parked.id));

    const done = source.controls.finishExecution(stuck.id);
    expect(done).toMatchObject({ status: "success", finished: true, stoppedAt: clock.now.toISOString() });
    expect(listAll(source, clock.now).find((e) => e.id === stuck.id)).toMatchObject({ status: "success" });
    expect(() => source.controls.finishExecution(all[0].id)).toThrow(/only injected/);
  });

  it("adds a burst of failures now, newest last, with run data", () => {
    const { source, clock } = clocked();
    const added = source.controls.injectExecutions({ workflowId: LEAD, status: "error", count: 5 });
    expect(added.map((e) => Number(e.id))).toEqual([0, 1, 2, 3, 4].map((i) => Number(added[0].id) + i));
    expect(added[4].stoppedAt).toBe(clock.now.toISOString());
    const page = source.listExecutions({ beforeId: null, limit: 5, includeData: true, now: clock.now });
    expect(page.map((e) => e.id)).toEqual(added.map((e) => e.id).reverse());
    for (const e of page) expect((e.data as any).resultData.error.message.length).toBeGreaterThan(5);
    // A cursor below them pages on into the generated ones.
    const next = source.listExecutions({ beforeId: Number(added[0].id), limit: 2, includeData: false, now: clock.now });
    expect(next).toHaveLength(2);
    expect(next[0]).toEqual(listAll(source, clock.now)[5]);
  });
});

describe("fake n8n controls over HTTP (/__fake/)", () => {
  async function serve(source: FakeSource) {
    const fake = await startFakeN8n({ apiKey: KEY, source });
    servers.push(fake);
    const post = async (path: string, body: unknown, key: string | null = KEY) => {
      const res = await fetch(`${fake.url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(key === null ? {} : { "X-N8N-API-KEY": key }) },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    };
    const get = async (path: string) => {
      const res = await fetch(`${fake.url}${path}`, { headers: { "X-N8N-API-KEY": KEY } });
      return { status: res.status, body: await res.json() };
    };
    return { fake, post, get };
  }

  it("switches fail and stop, injects and finishes executions, answering JSON", async () => {
    const { source, clock, advance } = clocked();
    const { fake, post, get } = await serve(source);
    expect(fake.controls).toBe(source.controls);

    const failed = await post(`/__fake/workflows/${INVOICE}/fail`, { on: true });
    expect(failed).toMatchObject({ status: 200, body: { spans: [{ workflowId: INVOICE, kind: "fail", to: null }] } });
    expect((await post(`/__fake/workflows/${LEAD}/stop`, {})).status).toBe(200);
    const injected = await post(`/__fake/workflows/${INVOICE}/executions`, {
      status: "running",
      startedAt: "2025-03-12T12:00:00Z",
    });
    expect(injected.status).toBe(200);
    const id = injected.body.data[0].id;
    expect((await get(`/api/v1/executions/${id}`)).body).toMatchObject({ id, status: "running" });
    advance(HOUR);
    expect(startedAfter(listAll(source, clock.now), NOW).filter((e) => e.workflowId === LEAD)).toEqual([]);
    expect((await post(`/__fake/executions/${id}/finish`, { status: "error" })).body).toMatchObject({
      id,
      status: "error",
    });
    const state = await get("/__fake/state");
    expect(state.body.spans).toHaveLength(2);
    expect(state.body.injected).toMatchObject([{ id, status: "error" }]);
    expect((await post(`/__fake/workflows/${INVOICE}/fail`, { on: false })).body.spans[0].to).toBe(
      clock.now.toISOString(),
    );
  });

  it("asks for the API key, refuses bad requests, and stays out of the faults and the request log", async () => {
    const { post, get, fake } = await serve(clocked().source);
    expect((await post(`/__fake/workflows/${INVOICE}/fail`, { on: true }, null)).status).toBe(401);
    expect(await post("/__fake/workflows/nope/fail", { on: true })).toMatchObject({
      status: 404,
      body: { message: "no workflow nope" },
    });
    expect((await post(`/__fake/workflows/${INVOICE}/fail`, { on: "yes" })).status).toBe(400);
    expect((await post(`/__fake/workflows/${INVOICE}/fail`, "{not json")).body).toEqual({
      message: "the body is not JSON",
    });
    expect((await post(`/__fake/workflows/${INVOICE}/executions`, { status: "new" })).status).toBe(400);
    expect((await post(`/__fake/workflows/${INVOICE}/pause`, {})).status).toBe(404);
    expect((await post("/__fake/executions/12/finish", {})).status).toBe(404);
    fake.faults.serverErrors(1);
    expect((await get("/__fake/state")).status).toBe(200);
    expect((await get("/api/v1/workflows")).status).toBe(500);
    expect(fake.requests.map((r) => r.path)).toEqual(["/api/v1/workflows"]);
  });

  it("answers 501 for a source of given executions, which has no controls", async () => {
    const { post, fake } = await serve(new InMemorySource());
    expect(fake.controls).toBeNull();
    expect((await post(`/__fake/workflows/${INVOICE}/fail`, { on: true })).status).toBe(501);
  });
});
