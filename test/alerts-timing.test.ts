/**
 * "for", repeat, acknowledgements and silences, counted exactly against a test clock:
 * what a local webhook receiver gets, notification by notification. And the backtest:
 * the episodes it reports are those the evaluator stores when run at each of its steps.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { DatabaseHandle } from "@/lib/db/database";
import { alertRules, clients } from "@/lib/db/schema";
import { HOUR_MS, MINUTE_MS } from "@/lib/core/time";
import { createChannel } from "@/lib/alerts/channels";
import { deliverDue } from "@/lib/alerts/delivery/queue";
import { createSilence } from "@/lib/alerts/silences";
import { acknowledgeAlert } from "@/lib/alerts/queries";
import { backtestAt, backtestTimes } from "@/lib/alerts/backtest";
import { evaluateAlerts, ruleToEvaluate } from "@/lib/alerts/evaluate";
import { step } from "@/lib/alerts/state";
import { createTestDatabase } from "./helpers/db";
import { alertScenario, episodesOf } from "./helpers/alert-scenario";

let handle: DatabaseHandle;
const received: Array<{ kind: string; text: string }> = [];
const receiver = createServer((req, res) => {
  let body = "";
  req.on("data", (c: Buffer) => (body += c.toString()));
  req.on("end", () => {
    const json = JSON.parse(body) as { kind: string; text: string };
    received.push({ kind: json.kind, text: json.text });
    res.writeHead(200).end("ok");
  });
});
let receiverUrl: string;

beforeAll(async () => {
  handle = await createTestDatabase();
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  receiver.close();
  await handle.close();
});

// 3 days ago at 02:00 UTC: inside raw retention, before the wall clock, and far from
// midnight, so a scenario's hours stay on one UTC day (the LLM budget is per day).
const DAY_MS = 24 * HOUR_MS;
const START = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS - 3 * DAY_MS + 2 * HOUR_MS);
const at = (minutes: number) => new Date(START.getTime() + minutes * MINUTE_MS);
const WORKFLOWS = [{ id: "wfA", name: "Invoice sync", active: true }];
const senders = { allowPrivateHosts: true, timeoutMs: 5_000 };

describe("the state machine", () => {
  const timing = { forSeconds: 600, repeatSeconds: 1800 };
  const holds = {
    subject: "client:1",
    clientId: 1,
    workflowId: null,
    value: 1,
    threshold: 1,
    summary: "x",
    link: "/",
  };
  it("waits for 'for', notifies once, reminds at the repeat interval, resolves once", () => {
    let open = null;
    const notes: string[] = [];
    for (let m = 0; m <= 75; m += 5) {
      const s = step(timing, open, m < 70 ? holds : null, at(m));
      if (s.notify) notes.push(`${m}:${s.notify}`);
      open = s.open;
    }
    expect(notes).toEqual(["10:firing", "40:reminder", "70:resolved"]);
  });
  it("a condition that clears while pending ends ok, never notified", () => {
    const first = step(timing, null, holds, at(0));
    const cleared = step(timing, first.open, null, at(5));
    expect([first.events, cleared.events, cleared.notify, cleared.ended]).toEqual([["pending"], ["ok"], null, "ok"]);
  });
});

describe("notifications against a test clock", () => {
  it("fires after 'for', reminds every repeat, holds back what a silence covers, stops reminding once acknowledged", async () => {
    const s = await alertScenario(handle.db, { start: START, workflows: WORKFLOWS });
    try {
      const { channel } = await createChannel(handle.db, { name: "hook", kind: "webhook", url: receiverUrl });
      const rule = await s.rule({
        name: "failures",
        params: { kind: "failures", count: 1, windowMinutes: 30 },
        forSeconds: 10 * 60,
        repeatSeconds: 30 * 60,
        channelIds: [channel.id],
        labels: { team: "billing" },
      });
      // Every run fails from minute 0 to 120, then every run succeeds.
      s.runs("wfA", at(0), at(120), 5, () => ({ status: "error" }));
      s.runs("wfA", at(120), at(240), 5);
      const log: string[] = [];
      const tick = async (m: number) => {
        s.at(at(m));
        await s.sync();
        await s.evaluate();
        await deliverDue(handle.db, { now: new Date(s.now.getTime() + 3000), senders });
        for (const r of received.splice(0)) log.push(`${m}:${r.kind}`);
      };
      for (let m = 5; m <= 75; m += 5) await tick(m);
      // Fired at 15 (first failure collected at 5, held for 10 min), reminded at 45 and 75.
      expect(log).toEqual(["15:firing", "45:reminder", "75:reminder"]);
      // A silence on the label until minute 110 holds back the reminder due at 105.
      await createSilence(
        handle.db,
        { clientId: null, ruleId: null, labels: { team: "billing" }, endsAt: at(110), comment: "deploy" },
        "test",
        at(80),
      );
      for (let m = 80; m <= 115; m += 5) await tick(m);
      expect(log.slice(3)).toEqual([]);
      const [episode] = await episodesOf(handle.db, rule.id);
      expect(episode!.events).toEqual(["pending", "firing", "reminder", "reminder", "reminder", "silenced"]);
      // Acknowledged at 120: no reminder at 135; the resolution is still sent (failures leave the window at 150).
      await acknowledgeAlert(handle.db, episode!.id, "ops@example.test", at(120));
      for (let m = 120; m <= 160; m += 5) await tick(m);
      expect(log.slice(3)).toEqual(["150:resolved"]);
      const [ended] = await episodesOf(handle.db, rule.id);
      expect(ended).toMatchObject({ state: "resolved", acknowledgedBy: "ops@example.test" });
    } finally {
      await s.close();
    }
  });

  it("a firing notification a silence held back goes out once the silence ends, even without reminders", async () => {
    const s = await alertScenario(handle.db, { start: START, workflows: WORKFLOWS });
    try {
      const { channel } = await createChannel(handle.db, { name: "hook", kind: "webhook", url: receiverUrl });
      const rule = await s.rule({
        name: "during maintenance",
        params: { kind: "failures", count: 1, windowMinutes: 60 },
        repeatSeconds: 0,
        channelIds: [channel.id],
      });
      await createSilence(
        handle.db,
        { clientId: s.client.id, ruleId: null, labels: {}, endsAt: at(30), comment: "" },
        "test",
        at(0),
      );
      s.runs("wfA", at(0), at(60), 5, () => ({ status: "error" }));
      const log: string[] = [];
      for (let m = 10; m <= 50; m += 10) {
        s.at(at(m));
        await s.sync();
        await s.evaluate();
        await deliverDue(handle.db, { now: new Date(s.now.getTime() + 3000), senders });
        for (const r of received.splice(0)) log.push(`${m}:${r.kind}`);
      }
      // Fired at 10 under the silence; owed, sent at the first evaluation after 30; once.
      expect(log).toEqual(["30:firing"]);
      const [episode] = await episodesOf(handle.db, rule.id);
      expect(episode!.events).toEqual(["pending", "firing", "silenced"]);
    } finally {
      await s.close();
    }
  });

  it("an alert on a client that is no longer watched ends without a notification", async () => {
    const s = await alertScenario(handle.db, { start: START, workflows: WORKFLOWS });
    try {
      const { channel } = await createChannel(handle.db, { name: "hook", kind: "webhook", url: receiverUrl });
      const rule = await s.rule({
        name: "all clients",
        clientId: null,
        params: { kind: "failures", count: 1, windowMinutes: 60 },
        channelIds: [channel.id],
      });
      s.runs("wfA", at(0), at(30), 5, () => ({ status: "error" }));
      s.at(at(30));
      await s.sync();
      await evaluateAlerts(handle.db, { now: at(31) });
      await deliverDue(handle.db, { now: at(31), senders });
      expect(received.splice(0).map((r) => r.kind)).toEqual(["firing"]);
      await handle.db.update(clients).set({ active: false }).where(eq(clients.id, s.client.id));
      await evaluateAlerts(handle.db, { now: at(32) });
      await deliverDue(handle.db, { now: at(32), senders });
      expect(received.splice(0)).toEqual([]);
      const [episode] = await episodesOf(handle.db, rule.id);
      expect(episode).toMatchObject({ state: "resolved", endedAt: at(32) });
      expect(episode!.events).toEqual(["pending", "firing", "resolved"]);
    } finally {
      await s.close();
    }
  });

  it("a disabled rule is not evaluated", async () => {
    const s = await alertScenario(handle.db, { start: START, workflows: WORKFLOWS });
    try {
      const rule = await s.rule({
        name: "off",
        params: { kind: "failures", count: 1, windowMinutes: 30 },
        enabled: false,
      });
      s.runs("wfA", at(0), at(30), 5, () => ({ status: "error" }));
      s.at(at(30));
      await s.sync();
      await s.evaluate();
      expect(await episodesOf(handle.db, rule.id)).toEqual([]);
    } finally {
      await s.close();
    }
  });
});

describe("backtest", () => {
  it("reports the episodes the evaluator stores when run at each of its steps", async () => {
    const s = await alertScenario(handle.db, { start: START, workflows: WORKFLOWS });
    try {
      // Three bursts of failures between quiet spells, synced every 15 minutes.
      s.runs("wfA", at(0), at(360), 5, (t) => {
        const m = (t.getTime() - START.getTime()) / MINUTE_MS;
        return (m >= 60 && m < 90) || (m >= 150 && m < 160) || (m >= 240 && m < 300) ? { status: "error" } : {};
      });
      for (let m = 15; m <= 360; m += 15) {
        s.at(at(m));
        await s.sync();
      }
      const rule = await s.rule({
        name: "replayed",
        params: { kind: "failure_rate", thresholdPct: 30, windowMinutes: 30, minRuns: 3 },
        forSeconds: 30 * 60,
        repeatSeconds: 3600,
      });
      const times: Date[] = [];
      for (let m = 5; m <= 375; m += 5) times.push(new Date(at(m).getTime() + 2000));
      const stored = ruleToEvaluate((await handle.db.select().from(alertRules).where(eq(alertRules.id, rule.id)))[0]!);
      const backtest = await backtestAt(handle.db, stored, times);

      for (const t of times) await evaluateAlerts(handle.db, { now: t, clientId: s.client.id });
      const evaluated = (await episodesOf(handle.db, rule.id)).map((e) => ({
        startedAt: e.startedAt.toISOString(),
        firedAt: e.firedAt?.toISOString() ?? null,
        endedAt: e.endedAt?.toISOString() ?? null,
        state: e.state,
      }));
      const replayed = backtest.episodes.map((e) => ({
        startedAt: e.startedAt,
        firedAt: e.firedAt,
        endedAt: e.endedAt,
        state: e.state,
      }));
      expect(replayed).toEqual(evaluated);
      // Judged over the stored history, each instant's window ends at the instant: the burst at
      // 60–90 holds (2 of 6 runs in 30 min) from 70 to 110 and fires at 100, the one at 240–300
      // from 250 to 325; the two failures at 150 and 155 hold from 160 to 180 only: < "for".
      expect(backtest.fired).toBe(2);
      expect(evaluated.map((e) => e.state)).toEqual(["resolved", "ok", "resolved"]);
      expect(backtest.notifications).toEqual({ firing: 2, reminder: 0, resolved: 2 });
    } finally {
      await s.close();
    }
  });

  it("steps every 5 minutes over 7 days and every 15 over 30, ending on the step", () => {
    const now = new Date("2026-11-30T10:07:30Z");
    const week = backtestTimes(7, now);
    expect(week).toHaveLength(7 * 24 * 12);
    expect(week.at(-1)!.toISOString()).toBe("2026-11-30T10:05:00.000Z");
    expect(backtestTimes(30, now)).toHaveLength(30 * 24 * 4);
  });
});
