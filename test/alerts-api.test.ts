/**
 * The alerts API as callers meet it: rule validation (400 naming the field), the
 * backtest of an unsaved rule, client users kept to their own client's alerts, the
 * history as CSV, acknowledgement and silences.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/lib/db/database";
import { alerts, alertEvents } from "@/lib/db/schema";
import { HOUR_MS, MINUTE_MS } from "@/lib/core/time";
import * as rulesRoute from "@/app/api/v1/alerts/rules/route";
import * as backtestRoute from "@/app/api/v1/alerts/rules/backtest/route";
import * as listRoute from "@/app/api/v1/alerts/route";
import * as historyRoute from "@/app/api/v1/alerts/history/route";
import * as countRoute from "@/app/api/v1/alerts/count/route";
import * as alertRoute from "@/app/api/v1/alerts/[alertId]/route";
import * as ackRoute from "@/app/api/v1/alerts/[alertId]/acknowledge/route";
import * as silencesRoute from "@/app/api/v1/alerts/silences/route";
import { createTestDatabase } from "./helpers/db";
import { callRoute, useAsAppDatabase } from "./helpers/app-db";
import { signedInUser, type SignedIn } from "./helpers/auth";
import { alertScenario } from "./helpers/alert-scenario";
import { createClient } from "./helpers/factories";

type RouteFn = Parameters<typeof callRoute>[0];

let handle: DatabaseHandle;
let admin: SignedIn;
let operator: SignedIn;

beforeAll(async () => {
  handle = await createTestDatabase();
  useAsAppDatabase(handle);
  admin = await signedInUser(handle.db, "admin");
  operator = await signedInUser(handle.db, "operator");
});
afterAll(() => handle.close());

function as(
  who: SignedIn,
  fn: RouteFn,
  url: string,
  init: { method?: string; body?: unknown; params?: Record<string, string> } = {},
) {
  return callRoute(fn, url, init.params ?? {}, {
    method: init.method ?? "GET",
    token: null,
    headers: { cookie: who.cookie, "content-type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

// 2 days ago at 02:00 UTC: inside raw retention, before the wall clock, and far from
// midnight, so a scenario's hours stay on one UTC day (the LLM budget is per day).
const DAY_MS = 24 * HOUR_MS;
const START = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS - 2 * DAY_MS + 2 * HOUR_MS);
const at = (minutes: number) => new Date(START.getTime() + minutes * MINUTE_MS);

describe("rules", () => {
  it("refuses a bad rule with a 400 that names the field", async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ name: "", params: { kind: "failures", count: 1, windowMinutes: 60 } }, /^name: /],
      [{ name: "x", params: { kind: "failures", count: 0, windowMinutes: 60 } }, /^params\.count: /],
      [{ name: "x", params: { kind: "nope" } }, /^params\.kind: /],
      [{ name: "x", params: { kind: "failures", count: 1, windowMinutes: 60 }, repeatSeconds: 60 }, /^repeatSeconds: /],
      [
        { name: "x", params: { kind: "failures", count: 1, windowMinutes: 60 }, workflowId: 3 },
        /^workflowId: needs a clientId/,
      ],
      [
        { name: "x", params: { kind: "failures", count: 1, windowMinutes: 60 }, clientId: 999_999 },
        /^clientId: client 999999 does not exist/,
      ],
      [
        { name: "x", params: { kind: "failures", count: 1, windowMinutes: 60 }, channelIds: [424242] },
        /^channelIds: channel 424242 does not exist/,
      ],
      [{ name: "x", params: { kind: "llm_cost", budgetUsd: 5, period: "day", forecast: true } }, /^params\.forecast: /],
    ];
    for (const [body, message] of cases) {
      const res = await as(admin, rulesRoute.POST, "/api/v1/alerts/rules", { method: "POST", body });
      const json = (await res.json()) as { error: { code: string; message: string } };
      expect([res.status, json.error.code], JSON.stringify(body)).toEqual([400, "bad_request"]);
      expect(json.error.message).toMatch(message);
    }
  });

  it("is created, listed and read back with its defaults; operators may read but not write", async () => {
    const res = await as(admin, rulesRoute.POST, "/api/v1/alerts/rules", {
      method: "POST",
      body: { name: "Any failure", params: { kind: "failures", count: 1, windowMinutes: 15 } },
    });
    expect(res.status).toBe(201);
    const { rule } = (await res.json()) as { rule: Record<string, unknown> };
    expect(rule).toMatchObject({
      name: "Any failure",
      kind: "failures",
      clientId: null,
      severity: "warning",
      forSeconds: 0,
      repeatSeconds: 14_400,
      params: { kind: "failures", count: 1, windowMinutes: 15, per: "client" },
      enabled: true,
      channelIds: [],
    });
    const list = (await (await as(operator, rulesRoute.GET, "/api/v1/alerts/rules")).json()) as { rules: unknown[] };
    expect(list.rules).toContainEqual(expect.objectContaining({ id: rule.id, name: "Any failure" }));
    const denied = await as(operator, rulesRoute.POST, "/api/v1/alerts/rules", {
      method: "POST",
      body: { name: "x", params: { kind: "failures", count: 1, windowMinutes: 15 } },
    });
    expect(denied.status).toBe(403);
  });

  it("backtests an unsaved rule over the stored history and saves nothing", async () => {
    const s = await alertScenario(handle.db, {
      start: START,
      workflows: [{ id: "wfA", name: "Invoice sync", active: true }],
    });
    try {
      s.runs("wfA", at(0), at(240), 5, (t) => (t >= at(60) && t < at(120) ? { status: "error" } : {}));
      for (let m = 30; m <= 240; m += 30) {
        s.at(at(m));
        await s.sync();
      }
      const before = await handle.db.select().from(alerts);
      const res = await as(admin, backtestRoute.POST, "/api/v1/alerts/rules/backtest", {
        method: "POST",
        body: {
          days: 7,
          rule: { name: "try", clientId: s.client.id, params: { kind: "failures", count: 3, windowMinutes: 30 } },
        },
      });
      expect(res.status).toBe(200);
      const result = (await res.json()) as {
        fired: number;
        resolved: number;
        stepMinutes: number;
        episodes: Array<{ state: string; summary: string }>;
      };
      expect(result.stepMinutes).toBe(5);
      expect(result.fired).toBe(1);
      expect(result.resolved).toBe(1);
      expect(result.episodes).toHaveLength(1);
      expect(result.episodes[0]!.summary).toMatch(/failed runs over 30 min/);
      expect(await handle.db.select().from(alerts)).toEqual(before);
    } finally {
      await s.close();
    }
  });
});

describe("alerts as each viewer sees them", () => {
  it("client users see their own client's alerts only; the bell counts what the viewer may see; CSV history", async () => {
    const a = await createClient(handle.db);
    const b = await createClient(handle.db);
    const created = await as(admin, rulesRoute.POST, "/api/v1/alerts/rules", {
      method: "POST",
      body: { name: "Every client", params: { kind: "failures", count: 1, windowMinutes: 15 } },
    });
    const ruleId = ((await created.json()) as { rule: { id: number } }).rule.id;
    const now = new Date();
    const [onA, onB] = await handle.db
      .insert(alerts)
      .values(
        [a, b].map((c) => ({
          ruleId,
          clientId: c.id,
          subject: `client:${c.id}`,
          state: "firing" as const,
          summary: `Failing ${c.name}`,
          startedAt: now,
          firedAt: now,
          lastEvaluatedAt: now,
          value: 2,
          threshold: 1,
        })),
      )
      .returning({ id: alerts.id });
    await handle.db.insert(alertEvents).values([
      { alertId: onA!.id, kind: "pending", at: now, value: 2, message: `Failing ${a.name}` },
      { alertId: onA!.id, kind: "firing", at: now, value: 2, message: `Failing, with "quotes"` },
    ]);
    const clientUser = await signedInUser(handle.db, "client", a.id);

    const mine = (await (await as(clientUser, listRoute.GET, "/api/v1/alerts?state=firing")).json()) as {
      alerts: Array<{ id: number }>;
    };
    expect(mine.alerts.map((x) => x.id)).toEqual([onA!.id]);
    const theirs = await as(clientUser, alertRoute.GET, `/api/v1/alerts/${onB!.id}`, {
      params: { alertId: String(onB!.id) },
    });
    expect(theirs.status).toBe(404);
    const asked = await as(clientUser, listRoute.GET, `/api/v1/alerts?clientId=${b.id}`);
    expect(asked.status).toBe(404);
    const own = (await (
      await as(clientUser, alertRoute.GET, `/api/v1/alerts/${onA!.id}`, { params: { alertId: String(onA!.id) } })
    ).json()) as { events: unknown[]; deliveries: unknown };
    expect(own.events).toHaveLength(2);
    // Where notifications went is for operators.
    expect(own.deliveries).toBeNull();

    const bell = async (who: SignedIn) =>
      ((await (await as(who, countRoute.GET, "/api/v1/alerts/count")).json()) as { firing: number }).firing;
    expect(await bell(clientUser)).toBe(1);
    expect(await bell(operator)).toBeGreaterThanOrEqual(2);

    const csv = await as(operator, historyRoute.GET, `/api/v1/alerts/history?clientId=${a.id}&format=csv`);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const lines = (await csv.text()).trim().split("\r\n");
    expect(lines[0]).toBe("at,event,alertId,rule,kind,severity,client,workflow,value,message,alertState");
    expect(lines).toHaveLength(3);
    expect(lines[2]).toContain(`"Failing, with ""quotes"""`);

    // Acknowledged by an operator (client users may not); an ended alert cannot be.
    expect(
      (
        await as(clientUser, ackRoute.POST, `/api/v1/alerts/${onA!.id}/acknowledge`, {
          method: "POST",
          params: { alertId: String(onA!.id) },
        })
      ).status,
    ).toBe(403);
    const acked = await as(operator, ackRoute.POST, `/api/v1/alerts/${onA!.id}/acknowledge`, {
      method: "POST",
      params: { alertId: String(onA!.id) },
    });
    expect(acked.status).toBe(200);
    expect(((await acked.json()) as { alert: { acknowledgedBy: string } }).alert.acknowledgedBy).toBe(operator.email);
  });

  it("silences need an end after their start and something to match", async () => {
    const empty = await as(operator, silencesRoute.POST, "/api/v1/alerts/silences", {
      method: "POST",
      body: { endsAt: "2099-01-01T00:00:00Z" },
    });
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { error: { message: string } }).error.message).toMatch(
      /^ruleId: name a client, a rule or labels/,
    );
    const past = await as(operator, silencesRoute.POST, "/api/v1/alerts/silences", {
      method: "POST",
      body: { labels: { team: "ops" }, endsAt: "2000-01-01T00:00:00Z" },
    });
    expect(past.status).toBe(400);
    const ok = await as(operator, silencesRoute.POST, "/api/v1/alerts/silences", {
      method: "POST",
      body: { labels: { team: "ops" }, endsAt: "2099-01-01T00:00:00Z", comment: "maintenance" },
    });
    expect(ok.status).toBe(201);
    const list = (await (await as(operator, silencesRoute.GET, "/api/v1/alerts/silences")).json()) as {
      silences: Array<{ comment: string; status: string }>;
    };
    expect(list.silences).toContainEqual(expect.objectContaining({ comment: "maintenance", status: "active" }));
  });
});
