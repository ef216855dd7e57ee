/**
 * Each rule kind fires and resolves on data collected from the fake n8n, with the clock
 * moved by the test: failures injected, a workflow that stops, a schedule that stops
 * running, a stuck execution, a sync that keeps failing, executions n8n deleted before
 * they were collected, LLM usage over a budget, and an anomalous hour.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/lib/db/database";
import { HOUR_MS, MINUTE_MS } from "@/lib/core/time";
import { ingestUsageBatch } from "@/lib/ingest/llm/ingest";
import type { Viewer } from "@/lib/accounts/viewer";
import { createTestDatabase } from "./helpers/db";
import { alertScenario, episodesOf } from "./helpers/alert-scenario";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(() => handle.close());

// 4 days ago at 02:00 UTC: inside raw retention, before the wall clock, and far from
// midnight, so a scenario's hours stay on one UTC day (the LLM budget is per day).
const DAY_MS = 24 * HOUR_MS;
const START = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS - 4 * DAY_MS + 2 * HOUR_MS);
const at = (minutes: number) => new Date(START.getTime() + minutes * MINUTE_MS);

const WORKFLOWS = [
  { id: "wfA", name: "Invoice sync", active: true, nodes: [{ name: "Webhook", type: "n8n-nodes-base.webhook" }] },
  {
    id: "wfS",
    name: "Nightly report",
    active: true,
    nodes: [
      {
        name: "Schedule Trigger",
        type: "n8n-nodes-base.scheduleTrigger",
        parameters: { rule: { interval: [{ field: "minutes", minutesInterval: 10 }] } },
      },
    ],
  },
];

async function scenario() {
  return alertScenario(handle.db, { start: START, workflows: WORKFLOWS });
}

/** The states of a rule's episodes, oldest first: "firing", "resolved", ... */
async function states(ruleId: number) {
  return (await episodesOf(handle.db, ruleId)).map((e) => e.state);
}

describe("alert rule kinds on collected data", () => {
  it("failure rate and failure count fire on injected failures and resolve when runs succeed again", async () => {
    const s = await scenario();
    try {
      const rate = await s.rule({
        name: "rate",
        params: { kind: "failure_rate", thresholdPct: 20, windowMinutes: 60, minRuns: 5 },
      });
      const count = await s.rule({ name: "count", params: { kind: "failures", count: 4, windowMinutes: 60 } });
      // An hour of successes every 5 minutes: quiet.
      s.runs("wfA", at(0), at(60), 5);
      s.at(at(60));
      await s.sync();
      await s.evaluate();
      expect(await states(rate.id)).toEqual([]);
      // The next 30 minutes fail one run in two: 3 of 12 in the hour so far, then 6 of 18.
      s.runs("wfA", at(60), at(90), 5, (_, i) => (i % 2 === 0 ? { status: "error" } : {}));
      s.at(at(90));
      await s.sync();
      await s.evaluate();
      // 3 failures of the last hour's 12 finished runs: 25% > 20%, and 3 < 4 failures.
      const [firing] = await episodesOf(handle.db, rate.id);
      expect(firing).toMatchObject({ state: "firing", value: 25, threshold: 20 });
      expect(firing!.summary).toContain("25% of 12 finished runs failed over 1 h");
      expect(firing!.details).toMatchObject({ failures: 3, finished: 12 });
      expect(await states(count.id)).toEqual([]);
      s.runs("wfA", at(90), at(100), 5, () => ({ status: "error" }));
      s.at(at(100));
      await s.sync();
      await s.evaluate();
      expect(await states(count.id)).toEqual(["firing"]);
      // Two hours of successes: both clear.
      s.runs("wfA", at(100), at(220), 5);
      s.at(at(220));
      await s.sync();
      await s.evaluate();
      expect(await states(rate.id)).toEqual(["resolved"]);
      expect(await states(count.id)).toEqual(["resolved"]);
      const [resolved] = await episodesOf(handle.db, rate.id);
      expect(resolved!.events).toEqual(["pending", "firing", "resolved"]);
      expect(resolved!.endedAt?.getTime()).toBe(at(220).getTime() + 2000);
    } finally {
      await s.close();
    }
  });

  it("counts a failure that started in the same minute as the sync, before it", async () => {
    const s = await scenario();
    try {
      const rule = await s.rule({ name: "any", params: { kind: "failures", count: 1, windowMinutes: 30 } });
      s.runs("wfA", new Date(at(30).getTime() + 20_000), at(31), 5, () => ({ status: "error" }));
      s.at(new Date(at(30).getTime() + 40_000));
      await s.sync();
      await s.evaluate();
      expect(await states(rule.id)).toEqual(["firing"]);
    } finally {
      await s.close();
    }
  });

  it("latency fires on slow runs per workflow and names the workflow", async () => {
    const s = await scenario();
    try {
      const rule = await s.rule({
        name: "slow",
        params: {
          kind: "latency",
          percentile: "p95",
          thresholdMs: 5000,
          windowMinutes: 60,
          minRuns: 5,
          per: "workflow",
        },
      });
      s.runs("wfA", at(0), at(60), 5, (t) => ({ stoppedAt: new Date(t.getTime() + 9000) }));
      s.at(at(60));
      await s.sync();
      await s.evaluate();
      const [e] = await episodesOf(handle.db, rule.id);
      // p95 from the latency histogram, as the dashboards take it: within 1% of 9 s.
      expect(Math.abs(e!.value! - 9000)).toBeLessThanOrEqual(90);
      expect(e).toMatchObject({
        state: "firing",
        threshold: 5000,
        subject: expect.stringMatching(/^workflow:/),
      });
      expect(e!.summary).toMatch(/^Invoice sync \(.+\): p95 duration 9\.0 s over 1 h/);
      s.runs("wfA", at(60), at(130), 5);
      s.at(at(130));
      await s.sync();
      await s.evaluate();
      expect(await states(rule.id)).toEqual(["resolved"]);
    } finally {
      await s.close();
    }
  });

  it("silence fires when a workflow stops running and resolves when it runs again", async () => {
    const s = await scenario();
    try {
      const rule = await s.rule({ name: "quiet", params: { kind: "silence", minutes: 30, per: "workflow" } });
      s.runs("wfA", at(0), at(60), 5);
      s.at(at(60));
      await s.sync();
      await s.evaluate();
      // The workflow stops: 20 minutes later it is not silent yet, 40 minutes later it is.
      s.at(at(80));
      await s.sync();
      await s.evaluate();
      expect(await states(rule.id)).toEqual([]);
      s.at(at(100));
      await s.sync();
      await s.evaluate();
      const [e] = await episodesOf(handle.db, rule.id);
      expect(e).toMatchObject({ state: "firing", value: 45 });
      expect(e!.summary).toContain("no production run for 45 min");
      s.runs("wfA", at(100), at(110), 5);
      s.at(at(110));
      await s.sync();
      await s.evaluate();
      expect(await states(rule.id)).toEqual(["resolved"]);
    } finally {
      await s.close();
    }
  });

  it("a sync that has not run yet is not a silence: the window ends where the data ends", async () => {
    const s = await scenario();
    try {
      const rule = await s.rule({ name: "quiet", params: { kind: "silence", minutes: 30 } });
      s.runs("wfA", at(0), at(60), 5);
      s.at(at(60));
      await s.sync();
      // Two hours later, nothing synced since: no silence is claimed (stale data is its own rule).
      s.at(at(180));
      await s.evaluate();
      expect(await states(rule.id)).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it("missed schedule fires when a 10-minute schedule stops running", async () => {
    const s = await scenario();
    try {
      const rule = await s.rule({
        name: "missed",
        params: { kind: "missed_schedule", windowMinutes: 60, tolerance: 1 },
      });
      s.runs("wfS", at(0), at(120), 10);
      s.at(at(120));
      await s.sync();
      await s.evaluate();
      expect(await states(rule.id)).toEqual([]);
      // It stops at 120: by 160 the last hour holds 2 runs (100, 110) of 6 due.
      s.at(at(160));
      await s.sync();
      await s.evaluate();
      const [e] = await episodesOf(handle.db, rule.id);
      expect(e).toMatchObject({ state: "firing", value: 2, threshold: 6 });
      expect(e!.summary).toContain("2 of 6 scheduled runs started in the last 1 h");
      s.runs("wfS", at(160), at(240), 10);
      s.at(at(240));
      await s.sync();
      await s.evaluate();
      expect(await states(rule.id)).toEqual(["resolved"]);
    } finally {
      await s.close();
    }
  });

  it("stuck fires for a run waiting far past its waitTill and resolves once it finishes", async () => {
    const s = await scenario();
    try {
      const rule = await s.rule({
        name: "stuck",
        params: { kind: "stuck", runningMinutes: 60, waitingGraceMinutes: 15 },
      });
      s.runs("wfA", at(0), at(60), 5);
      const id = s.nextId();
      s.source.addExecutions({
        id,
        workflowId: "wfA",
        status: "waiting",
        finished: false,
        startedAt: at(10),
        stoppedAt: null,
        waitTill: at(30),
      });
      s.runs("wfA", at(60), at(70), 5);
      s.at(at(40));
      await s.sync();
      await s.evaluate();
      expect(await states(rule.id)).toEqual([]);
      s.at(at(70));
      await s.sync();
      await s.evaluate();
      const [e] = await episodesOf(handle.db, rule.id);
      expect(e).toMatchObject({ state: "firing", value: 1 });
      expect(e!.summary).toContain(`#${id}`);
      s.source.updateExecution(id, { status: "success", stoppedAt: at(75) });
      s.at(at(80));
      await s.sync();
      await s.evaluate();
      expect(await states(rule.id)).toEqual(["resolved"]);
    } finally {
      await s.close();
    }
  });

  it("stale data fires after syncs fail in a row, and when the last success gets old", async () => {
    const s = await scenario();
    try {
      const failed = await s.rule({
        name: "failing syncs",
        params: { kind: "stale_data", maxAgeMinutes: 24 * 60, failedSyncs: 3 },
      });
      const old = await s.rule({
        name: "old data",
        params: { kind: "stale_data", maxAgeMinutes: 45, failedSyncs: 100 },
      });
      s.runs("wfA", at(0), at(60), 5);
      s.at(at(60));
      expect(await s.sync()).toBe(true);
      await s.evaluate();
      s.server.faults.serverErrors(1000);
      for (const m of [75, 90, 105]) {
        s.at(at(m));
        expect(await s.sync()).toBe(false);
        await s.evaluate();
      }
      const [e] = await episodesOf(handle.db, failed.id);
      expect(e).toMatchObject({ state: "firing", value: 3 });
      expect(e!.summary).toContain("the last 3 syncs failed");
      expect((await episodesOf(handle.db, old.id))[0]).toMatchObject({ state: "firing", value: 45 });
      s.server.faults.reset();
      s.at(at(120));
      expect(await s.sync()).toBe(true);
      await s.evaluate();
      expect(await states(failed.id)).toEqual(["resolved"]);
      expect(await states(old.id)).toEqual(["resolved"]);
    } finally {
      await s.close();
    }
  });

  it("coverage fires for executions n8n deleted before they were collected", async () => {
    const s = await scenario();
    try {
      const rule = await s.rule({ name: "lost", params: { kind: "coverage", windowMinutes: 60, minMissing: 2 } });
      s.runs("wfA", at(0), at(60), 5);
      s.at(at(60));
      await s.sync();
      await s.evaluate();
      const added = s.runs("wfA", at(60), at(90), 5);
      // n8n prunes three of them before the next sync.
      for (const id of added.slice(1, 4)) s.source.removeExecution(id);
      s.at(at(90));
      await s.sync();
      await s.evaluate();
      const [e] = await episodesOf(handle.db, rule.id);
      expect(e).toMatchObject({ state: "firing", value: 3, threshold: 2 });
      // An hour later they are no longer new.
      s.at(at(160));
      await s.sync();
      await s.evaluate();
      expect(await states(rule.id)).toEqual(["resolved"]);
    } finally {
      await s.close();
    }
  });

  it("LLM cost fires over a daily budget and resolves the next day", async () => {
    const s = await scenario();
    try {
      const rule = await s.rule({ name: "budget", params: { kind: "llm_cost", budgetUsd: 1, period: "day" } });
      const ids = s.runs("wfA", at(0), at(60), 5);
      s.at(at(60));
      await s.sync();
      const admin: Viewer = {
        via: "session",
        role: "admin",
        clientId: null,
        userId: null,
        email: null,
        name: "test",
        tokenId: null,
      };
      const result = await ingestUsageBatch(handle.db, {
        viewer: admin,
        items: ids.slice(0, 3).map((id, i) => ({
          clientId: s.client.id,
          workflowId: "wfA",
          executionId: id,
          model: "gpt-4o-mini",
          promptTokens: 1000,
          completionTokens: 100,
          costUsd: 0.5,
          timestamp: at(5 + i).toISOString(),
        })),
      });
      expect(result.accepted).toBe(3);
      await s.evaluate();
      const [e] = await episodesOf(handle.db, rule.id);
      expect(e).toMatchObject({ state: "firing", value: 1.5, threshold: 1 });
      expect(e!.summary).toContain("LLM cost $1.50 today, over the $1.00 budget");
      const nextDay = new Date(Math.ceil(s.now.getTime() / (24 * HOUR_MS)) * 24 * HOUR_MS + HOUR_MS);
      s.at(nextDay);
      await s.sync();
      await s.evaluate();
      expect(await states(rule.id)).toEqual(["resolved"]);
    } finally {
      await s.close();
    }
  });

  it("anomaly fires on an hour of failures against two steady days", async () => {
    const s = await scenario();
    try {
      const rule = await s.rule({
        name: "odd",
        params: { kind: "anomaly", metrics: ["failure_rate"], windowMinutes: 120 },
      });
      // Two days of 12 runs an hour with one failure in twelve, then an hour where half fail.
      s.runs("wfA", at(0), at(48 * 60), 5, (_, i) => (i % 12 === 0 ? { status: "error" } : {}));
      s.runs("wfA", at(48 * 60), at(49 * 60), 5, (_, i) => (i % 2 === 0 ? { status: "error" } : {}));
      s.at(at(49 * 60 + 5));
      await s.sync();
      await s.evaluate();
      const [e] = await episodesOf(handle.db, rule.id);
      expect(e?.state).toBe("firing");
      expect(e!.summary).toContain("1 anomalous hour in the last 2 h");
      s.runs("wfA", at(49 * 60), at(52 * 60), 5, (_, i) => (i % 12 === 0 ? { status: "error" } : {}));
      s.at(at(52 * 60 + 5));
      await s.sync();
      await s.evaluate();
      expect(await states(rule.id)).toEqual(["resolved"]);
    } finally {
      await s.close();
    }
  });
});
