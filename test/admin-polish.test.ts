/**
 * The admin console's second pass, through the route handlers: users edited (role and
 * client, never leaving no admin) and sent a one-time reset link; the rules preview's
 * reasons per workflow; the scheduler's jobs in words with next run, last failure and
 * Run now; prices in force and re-pricing stored usage; phase shares that add up.
 */
import { InngestTestEngine } from "@inngest/test";
import { and, asc, eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "@/lib/db/database";
import { llmUsage, syncRuns, users, verifications } from "@/lib/db/schema";
import { authFor } from "@/lib/accounts/auth";
import { resolveViewer } from "@/lib/accounts/viewer";
import type { ResetLink } from "@/lib/accounts/password-reset";
import { captureResetToken } from "@/lib/accounts/reset-token";
import type { PublicUser } from "@/lib/accounts/users";
import type { PricesInForceResponse } from "@/lib/api/prices-in-force";
import type { SchedulerView } from "@/lib/api/scheduler-view";
import { env } from "@/lib/core/env";
import { backgroundJobsSettled } from "@/lib/jobs/dispatch";
import type { ExplainedRulesPreview } from "@/lib/jobs/preview-rules";
import type { RepriceResult } from "@/lib/jobs/reprice";
import { getRunView } from "@/lib/metrics/status/run-view";
import { queueRun } from "@/lib/runs/record";
import { retentionNow } from "@/inngest/functions/retention-now";
import { rollupNow } from "@/inngest/functions/rollup-now";
import { phaseBreakdown, wholePercents } from "@/components/admin/phase-shares";
import { explainVerdict } from "@/components/format/verdict";
import * as userRoute from "@/app/api/v1/admin/users/[id]/route";
import * as resetLinkRoute from "@/app/api/v1/admin/users/[id]/reset-link/route";
import * as previewRoute from "@/app/api/v1/admin/clients/[id]/rules/preview/route";
import * as schedulerRoute from "@/app/api/v1/tasks/scheduler-status/route";
import * as rollupRoute from "@/app/api/v1/tasks/rollup/route";
import * as retentionRoute from "@/app/api/v1/tasks/retention/route";
import * as pricesRoute from "@/app/api/v1/admin/model-prices/route";
import * as inForceRoute from "@/app/api/v1/admin/model-prices/in-force/route";
import * as repriceRoute from "@/app/api/v1/admin/model-prices/reprice/route";
import * as usageBatchRoute from "@/app/api/v1/usage/batch/route";
import { createTestDatabase } from "./helpers/db";
import { callRoute, pinClock, postJson, useAsAppDatabase } from "./helpers/app-db";
import { signedInUser, signIn, type SignedIn } from "./helpers/auth";
import { createClient, createWorkflow } from "./helpers/factories";

type Route = Parameters<typeof callRoute>[0];

let handle: DatabaseHandle;
let admin: SignedIn;

beforeAll(async () => {
  handle = await createTestDatabase();
  useAsAppDatabase(handle);
  admin = await signedInUser(handle.db, "admin");
});
afterAll(async () => {
  await backgroundJobsSettled();
  await handle.close();
});

/** A call with a session cookie (default the admin's), JSON in and out. */
async function call<T>(
  route: Route,
  url: string,
  params: Record<string, string> = {},
  init: { method?: string; body?: unknown; cookie?: string } = {},
): Promise<{ status: number; body: T }> {
  const res = await callRoute(route, url, params, {
    method: init.method ?? "GET",
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    token: null,
    headers: { cookie: init.cookie ?? admin.cookie, "content-type": "application/json" },
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

const patchUser = (id: string, body: unknown, cookie?: string) =>
  call<PublicUser & { error?: { message: string } }>(
    userRoute.PATCH,
    `/api/v1/admin/users/${id}`,
    { id },
    { method: "PATCH", body, cookie },
  );

const roleOf = async (id: string) =>
  (await handle.db.select({ role: users.role, clientId: users.clientId }).from(users).where(eq(users.id, id)))[0];

describe("editing users", () => {
  it("stores a new role and client, and clears the client when a client user becomes an operator", async () => {
    const client = await createClient(handle.db);
    const user = await signedInUser(handle.db, "operator");
    const toClient = await patchUser(user.userId, { role: "client", clientId: client.id });
    expect(toClient.status).toBe(200);
    expect(toClient.body).toMatchObject({
      id: user.userId,
      role: "client",
      clientId: client.id,
      clientName: client.name,
    });
    expect(await roleOf(user.userId)).toEqual({ role: "client", clientId: client.id });
    // The role is read again on the next request: the operator's session now reads as a client user.
    const viewer = await resolveViewer(handle.db, new Headers({ cookie: user.cookie }));
    expect(viewer).toMatchObject({ role: "client", clientId: client.id });

    const toOperator = await patchUser(user.userId, { role: "operator" });
    expect(toOperator.status).toBe(200);
    expect(await roleOf(user.userId)).toEqual({ role: "operator", clientId: null });
  });

  it("answers 400 naming the field for a client user without a client, and changes nothing", async () => {
    const client = await createClient(handle.db);
    const operator = await signedInUser(handle.db, "operator");
    const cases: Array<[unknown, RegExp]> = [
      [{ role: "client" }, /^clientId: is required for a client user/],
      [{ role: "client", clientId: null }, /^clientId: is required for a client user/],
      [{ role: "operator", clientId: client.id }, /^clientId: must be empty/],
      [{ role: "client", clientId: 999_999 }, /^clientId: client 999999 does not exist/],
      [{ role: "superuser" }, /^role: /],
      [{ email: "x@example.test" }, /^(body|email)/],
    ];
    for (const [body, message] of cases) {
      const res = await patchUser(operator.userId, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error?.message, JSON.stringify(body)).toMatch(message);
    }
    expect(await roleOf(operator.userId)).toEqual({ role: "operator", clientId: null });
    expect((await patchUser("no-such-user", { role: "operator" })).status).toBe(404);
  });

  it("keeps the last admin an admin, and lets an admin step down while another remains", async () => {
    // Only this test's admins, so "the last admin" is exact.
    await handle.db.update(users).set({ role: "operator" }).where(eq(users.role, "admin"));
    const solo = await signedInUser(handle.db, "admin");
    const refused = await patchUser(solo.userId, { role: "operator" }, solo.cookie);
    expect(refused.status).toBe(400);
    expect(refused.body.error?.message).toBe("role: you are the only admin; make another user an admin first");
    expect(await roleOf(solo.userId)).toEqual({ role: "admin", clientId: null });

    const other = await signedInUser(handle.db, "operator");
    expect((await patchUser(other.userId, { role: "admin" }, solo.cookie)).status).toBe(200);
    const stepDown = await patchUser(solo.userId, { role: "operator" }, solo.cookie);
    expect(stepDown.status).toBe(200);
    expect(await roleOf(solo.userId)).toEqual({ role: "operator", clientId: null });
    // The former admin is refused at once; the other one is now the last admin.
    expect((await patchUser(other.userId, { role: "operator" }, solo.cookie)).status).toBe(403);
    expect((await patchUser(other.userId, { role: "operator" }, other.cookie)).status).toBe(400);
    // The suite's own admin keeps working for the tests below.
    await handle.db.update(users).set({ role: "admin" }).where(eq(users.id, admin.userId));
  });
});

/** Reset tokens of a user still waiting in better-auth's verification table. */
async function resetTokensOf(userId: string): Promise<number> {
  const rows = await handle.db
    .select({ id: verifications.id })
    .from(verifications)
    .where(and(like(verifications.identifier, "reset-password:%"), eq(verifications.value, userId)));
  return rows.length;
}

describe("password reset links", () => {
  const issue = (id: string) =>
    call<ResetLink>(resetLinkRoute.POST, `/api/v1/admin/users/${id}/reset-link`, { id }, { method: "POST" });

  /** Sends the reset page's form to better-auth's own endpoint, as the browser does. */
  const resetPassword = (token: string, newPassword: string) =>
    authFor(handle.db).handler(
      new Request("http://x/api/auth/reset-password", {
        method: "POST",
        headers: { "content-type": "application/json", origin: "http://x" },
        body: JSON.stringify({ token, newPassword }),
      }),
    );
  const tokenOf = (link: ResetLink) => new URLSearchParams(new URL(link.url).hash.slice(1)).get("token") ?? "";

  it("works once: sets the password, ends the user's sessions, and is refused the second time", async () => {
    const user = await signedInUser(handle.db, "operator");
    const res = await issue(user.userId);
    expect(res.status).toBe(201);
    const link = res.body;
    expect(link).toMatchObject({ userId: user.userId, email: user.email, delivery: "manual" });
    // In the fragment: browsers never send it to a server, so no log or Referer holds it.
    expect(link.url).toMatch(/^http:\/\/x\/sign-in\/reset-password#token=[\w-]+$/);
    const hours = (Date.parse(link.expiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(23.9);
    expect(hours).toBeLessThanOrEqual(24);

    // The password rule applies here too, and a refused password leaves the link usable.
    const weak = await resetPassword(tokenOf(link), "password123");
    expect(weak.status).toBe(400);
    expect(((await weak.json()) as { message: string }).message).toMatch(/^newPassword: /);

    const first = await resetPassword(tokenOf(link), "a brand new passphrase");
    expect(first.status).toBe(200);
    expect(await resolveViewer(handle.db, new Headers({ cookie: user.cookie }))).toBeNull();
    expect((await signIn(handle.db, user.email, user.password)).status).toBe(401);
    expect((await signIn(handle.db, user.email, "a brand new passphrase")).status).toBe(200);

    const second = await resetPassword(tokenOf(link), "another new passphrase");
    expect(second.status).toBe(400);
    expect(((await second.json()) as { code: string }).code).toBe("INVALID_TOKEN");
    expect((await signIn(handle.db, user.email, "a brand new passphrase")).status).toBe(200);
  });

  it("ends the earlier links when a new one is issued, and every link once the password is set", async () => {
    const user = await signedInUser(handle.db, "operator");
    const { body: old } = await issue(user.userId);
    const { body: current } = await issue(user.userId);
    const stale = await resetPassword(tokenOf(old), "a brand new passphrase");
    expect(((await stale.json()) as { code: string }).code).toBe("INVALID_TOKEN");
    // A token better-auth issued another way (not through the link) is ended by the reset too.
    await captureResetToken(() => authFor(handle.db).api.requestPasswordReset({ body: { email: user.email } }));
    expect(await resetTokensOf(user.userId)).toBe(2);
    expect((await resetPassword(tokenOf(current), "a brand new passphrase")).status).toBe(200);
    expect(await resetTokensOf(user.userId)).toBe(0);
  });

  it("expires after 24 hours", async () => {
    const user = await signedInUser(handle.db, "operator");
    const { body: link } = await issue(user.userId);
    pinClock(vi, new Date(Date.now() + 24 * 3_600_000 + 60_000));
    try {
      const late = await resetPassword(tokenOf(link), "a brand new passphrase");
      expect(late.status).toBe(400);
      expect(((await late.json()) as { code: string }).code).toBe("INVALID_TOKEN");
    } finally {
      vi.useRealTimers();
    }
    expect((await signIn(handle.db, user.email, user.password)).status).toBe(200);
  });

  it("is issued by admins only; nobody can ask better-auth for one over HTTP", async () => {
    const user = await signedInUser(handle.db, "operator");
    expect(
      (await call(resetLinkRoute.POST, "/x", { id: user.userId }, { method: "POST", cookie: user.cookie })).status,
    ).toBe(403);
    expect((await issue("no-such-user")).status).toBe(404);
    const asked = await authFor(handle.db).handler(
      new Request("http://x/api/auth/request-password-reset", {
        method: "POST",
        headers: { "content-type": "application/json", origin: "http://x" },
        body: JSON.stringify({ email: user.email }),
      }),
    );
    expect(asked.status).toBe(404);
  });
});

describe("rules preview reasons", () => {
  it("names why each workflow is in or out, and keeps a production-tagged test workflow in", async () => {
    const client = await createClient(handle.db);
    await createWorkflow(handle.db, client.id, { name: "Test order sync", tags: ["Production", "billing"] });
    await createWorkflow(handle.db, client.id, { name: "Staging import", tags: ["dev"] });
    await createWorkflow(handle.db, client.id, { name: "tmp cleanup", tags: [] });
    await createWorkflow(handle.db, client.id, { name: "Invoices", tags: [] });
    const res = await call<ExplainedRulesPreview>(
      previewRoute.POST,
      `/api/v1/admin/clients/${client.id}/rules/preview`,
      { id: String(client.id) },
      { method: "POST", body: { rules: { excludePatterns: ["^tmp", "order"] } } },
    );
    expect(res.status).toBe(200);
    const byName = Object.fromEntries(res.body.verdicts.map((v) => [v.name, v]));
    expect(byName["Test order sync"]).toMatchObject({
      tags: ["Production", "billing"],
      included: true,
      reason: null,
      decidedBy: "production-tag",
      decidedValue: "production",
      overridden: [
        { rule: "exclude-pattern", value: "order" },
        { rule: "test-name", value: "test" },
      ],
    });
    expect(explainVerdict(byName["Test order sync"])).toBe(
      "Included: tag “production” wins over exclude pattern “order” and “test” in the name.",
    );
    expect(byName["Staging import"]).toMatchObject({
      included: false,
      reason: "tag:dev",
      decidedBy: "non-production-tag",
    });
    expect(explainVerdict(byName["tmp cleanup"])).toBe("Excluded: exclude pattern “^tmp”.");
    expect(explainVerdict(byName["Invoices"])).toBe("Included: no rule excludes it.");
    // Kept in over an exclusion comes first.
    expect(res.body.verdicts[0].name).toBe("Test order sync");
    expect(res.body.patterns).toEqual([
      {
        kind: "exclude",
        pattern: "^tmp",
        count: 1,
        workflows: [{ workflowId: byName["tmp cleanup"].workflowId, name: "tmp cleanup" }],
      },
      {
        kind: "exclude",
        pattern: "order",
        count: 1,
        workflows: [{ workflowId: byName["Test order sync"].workflowId, name: "Test order sync" }],
      },
    ]);
    expect(res.body.manualExcluded).toBe(true);
  });
});

describe("scheduler", () => {
  it("lists each job in words with its next run, last failure and the endpoint that runs it now", async () => {
    const before = env.FLOWSCOPE_SCHEDULER;
    env.FLOWSCOPE_SCHEDULER = "auto";
    const failedAt = new Date(Date.now() - 3_600_000);
    const client = await createClient(handle.db);
    const [failed] = await handle.db
      .insert(syncRuns)
      .values({
        function: "sync-client",
        trigger: "cron",
        clientId: client.id,
        status: "error",
        startedAt: failedAt,
        finishedAt: failedAt,
        error: "Cannot reach n8n",
      })
      .returning({ id: syncRuns.id });
    // A manual sync's failure is not the scheduled job's.
    await handle.db
      .insert(syncRuns)
      .values({ function: "sync-client", trigger: "manual", clientId: client.id, status: "error", error: "by hand" });
    try {
      const operator = await signedInUser(handle.db, "operator");
      const res = await call<SchedulerView>(
        schedulerRoute.GET,
        "/api/v1/tasks/scheduler-status",
        {},
        { cookie: operator.cookie },
      );
      expect(res.status).toBe(200);
      expect(res.body.mode).toBe("in-process");
      expect(res.body.jobs.map((j) => [j.name, j.label, j.runNowPath])).toEqual([
        ["collect", "Collect executions", "/api/v1/tasks/sync-all"],
        ["rollupDaily", "Daily rollup", "/api/v1/tasks/rollup"],
        ["rollupWeekly", "Weekly rollup", "/api/v1/tasks/rollup"],
        ["rollupMonthly", "Monthly rollup", "/api/v1/tasks/rollup"],
        ["retention", "Retention", "/api/v1/tasks/retention"],
        // Every minute, with no run recorded to follow: no Run now.
        ["alerts", "Evaluate alerts", null],
      ]);
      const now = Date.now();
      for (const job of res.body.jobs) {
        expect(job.description.length, job.name).toBeGreaterThan(10);
        const next = Date.parse(job.nextRunAt ?? "");
        expect(next, job.name).toBeGreaterThan(now - 1000);
        expect(next, job.name).toBeLessThan(now + 32 * 86_400_000);
      }
      // The daily rollup at 02:00 UTC.
      const daily = res.body.jobs.find((j) => j.name === "rollupDaily");
      expect(daily?.nextRunAt).toMatch(/T02:00:00\.000Z$/);
      const collect = res.body.jobs.find((j) => j.name === "collect");
      expect(collect?.lastFailure).toEqual({
        runId: failed.id,
        startedAt: failedAt.toISOString(),
        finishedAt: failedAt.toISOString(),
        error: "Cannot reach n8n",
        clientId: client.id,
        clientName: client.name,
      });
    } finally {
      env.FLOWSCOPE_SCHEDULER = before;
    }
  });

  it("runs the rollup and retention jobs now, each as a run the page can follow", async () => {
    for (const [route, path, fn] of [
      [rollupRoute.POST, "/api/v1/tasks/rollup", "rollup"],
      [retentionRoute.POST, "/api/v1/tasks/retention", "retention"],
    ] as const) {
      const res = await call<{ runId: number }>(route, path, {}, { method: "POST" });
      expect(res.status, path).toBe(202);
      await backgroundJobsSettled();
      expect(await getRunView(handle.db, res.body.runId)).toMatchObject({
        function: fn,
        trigger: "manual",
        status: "success",
      });
    }
    // While one is in progress, a second click follows it instead of starting another.
    const queued = await queueRun(handle.db, { function: "rollup", trigger: "cron" });
    const again = await call<{ runId: number }>(rollupRoute.POST, "/api/v1/tasks/rollup", {}, { method: "POST" });
    expect(again.body.runId).toBe(queued);
    await handle.db.update(syncRuns).set({ status: "success" }).where(eq(syncRuns.id, queued));
    const operator = await signedInUser(handle.db, "operator");
    expect(
      (await call(rollupRoute.POST, "/api/v1/tasks/rollup", {}, { method: "POST", cookie: operator.cookie })).status,
    ).toBe(403);
  });
});

describe("Run now under Inngest", () => {
  it("runs the run the request queued, named by the event", async () => {
    const cases = [
      { fn: rollupNow, event: "rollups/refresh.requested", job: "rollup" as const },
      { fn: retentionNow, event: "retention/run.requested", job: "retention" as const },
    ];
    for (const { fn, event, job } of cases) {
      const runId = await queueRun(handle.db, { function: job, trigger: "manual" });
      const result = await new InngestTestEngine({ function: fn }).execute({
        events: [{ name: event, data: { runId } }],
      });
      expect(result.error, event).toBeUndefined();
      expect(await getRunView(handle.db, runId)).toMatchObject({ function: job, status: "success" });
    }
  });
});

describe("prices in force and re-pricing", () => {
  const HOUR = 3_600_000;

  it("re-prices a stored call whose price changed, keeps explicit costs, and lists where each price comes from", async () => {
    const client = await createClient(handle.db);
    await createWorkflow(handle.db, client.id, { n8nWorkflowId: "wf-reprice", name: "Summaries" });
    const model = `polish-model-${Date.now()}`;
    const at = new Date(Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR).toISOString();
    const event = (extra: Record<string, unknown>) => ({
      clientId: client.id,
      workflowId: "wf-reprice",
      promptTokens: 1_000_000,
      completionTokens: 500_000,
      timestamp: at,
      ...extra,
    });
    const stored = await postJson(usageBatchRoute.POST, "/api/v1/usage/batch", {
      events: [
        event({ model, provider: "acme" }),
        event({ model, provider: "acme", costUsd: 0.5, promptTokens: 7 }),
        event({ model: "gpt-4o-mini", provider: "openai" }),
      ],
    });
    expect(stored.status).toBe(200);
    const costs = async () =>
      (
        await handle.db
          .select({ model: llmUsage.model, cost: llmUsage.costMicroUsd, source: llmUsage.costSource })
          .from(llmUsage)
          .where(eq(llmUsage.clientId, client.id))
          .orderBy(asc(llmUsage.model), asc(llmUsage.promptTokens))
      ).map((r) => [r.model, r.cost, r.source]);
    const catalogCost = (1_000_000 * 0.15 + 500_000 * 0.6) * 1; // gpt-4o-mini: $0.15 / $0.60 per million
    expect(await costs()).toEqual([
      ["gpt-4o-mini", catalogCost, "catalog"],
      [model, 500_000, "explicit"],
      [model, null, "unpriced"],
    ]);

    // A price from before the call: stored costs stay as they were until re-priced.
    const added = await call(
      pricesRoute.POST,
      "/api/v1/admin/model-prices",
      {},
      {
        method: "POST",
        body: { model, inputPerMillionUsd: 2, outputPerMillionUsd: 8, effectiveFrom: "2020-01-01T00:00:00Z" },
      },
    );
    expect(added.status).toBe(201);
    expect((await costs())[2]).toEqual([model, null, "unpriced"]);

    const inForce = await call<PricesInForceResponse>(inForceRoute.GET, "/api/v1/admin/model-prices/in-force");
    expect(inForce.status).toBe(200);
    const price = (m: string) => inForce.body.prices.find((p) => p.model === m);
    expect(price(model)).toMatchObject({
      provider: "acme",
      source: "override",
      inputPerMillionUsd: 2,
      outputPerMillionUsd: 8,
      effectiveFrom: "2020-01-01T00:00:00.000Z",
      catalog: null,
      recentCalls: 2,
    });
    expect(price("gpt-4o-mini")).toMatchObject({
      provider: "openai",
      source: "catalog",
      inputPerMillionUsd: 0.15,
      outputPerMillionUsd: 0.6,
      matchedModel: expect.stringContaining("gpt-4o-mini"),
      recentCalls: 1,
    });

    const repriced = await call<RepriceResult>(
      repriceRoute.POST,
      "/api/v1/admin/model-prices/reprice",
      {},
      { method: "POST" },
    );
    expect(repriced.status).toBe(200);
    expect(repriced.body.changed).toBe(1);
    expect(repriced.body.repriced).toBeGreaterThanOrEqual(2);
    expect(repriced.body.rollupRunId).toEqual(expect.any(Number));
    // $2 per million in, $8 per million out; the explicit cost is kept.
    expect(await costs()).toEqual([
      ["gpt-4o-mini", catalogCost, "catalog"],
      [model, 500_000, "explicit"],
      [model, 2_000_000 + 4_000_000, "override"],
    ]);
    await backgroundJobsSettled();
    expect(await getRunView(handle.db, repriced.body.rollupRunId ?? 0)).toMatchObject({
      function: "rollup",
      status: "success",
    });

    const again = await call<RepriceResult>(
      repriceRoute.POST,
      "/api/v1/admin/model-prices/reprice",
      {},
      { method: "POST" },
    );
    expect(again.body).toMatchObject({ changed: 0, rollupRunId: null });
    const usage = await handle.db
      .select()
      .from(llmUsage)
      .where(and(eq(llmUsage.clientId, client.id), eq(llmUsage.model, model)));
    expect(usage).toHaveLength(2);
  });
});

describe("phase shares", () => {
  it("rounds shares to whole percents that add up to 100", () => {
    expect(wholePercents([1, 1, 1])).toEqual([34, 33, 33]);
    expect(wholePercents([0, 0])).toEqual([0, 0]);
    for (const values of [
      [5, 7, 11, 13],
      [999, 1, 0],
      [3, 3, 3, 3, 3, 3, 3],
    ])
      expect(wholePercents(values).reduce((a, b) => a + b, 0)).toBe(100);
  });

  it("shows a sync's phases with other adding up to its total, and a job's untimed rest as other", () => {
    const sync = phaseBreakdown({ fetch: 600, store: 300, rollup: 50, other: 50, total: 1000 }, 1005);
    expect(sync).toEqual({
      totalMs: 1000,
      phases: [
        { phase: "fetch", ms: 600, percent: 60 },
        { phase: "store", ms: 300, percent: 30 },
        { phase: "rollup", ms: 50, percent: 5 },
        { phase: "other", ms: 50, percent: 5 },
      ],
    });
    expect(phaseBreakdown({ rollup: 750 }, 1000)).toEqual({
      totalMs: 1000,
      phases: [
        { phase: "rollup", ms: 750, percent: 75 },
        { phase: "other", ms: 250, percent: 25 },
      ],
    });
    expect(phaseBreakdown({}, null)).toBeNull();
  });
});
