import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page } from "./fixtures";
import { expectNoSeriousAxeViolations } from "./pages/axe";
import { DEMO_SLUG, demoClientId, numberIn, waitForDemoSync } from "./pages/demo-client";
import { DEMO_CLIENT_USER, signInThroughForm } from "./pages/sign-in";

/**
 * Alerting end to end, signed in as the demo admin: a webhook channel pointing at a
 * receiver started here, a rule on the demo client tried against its history and saved,
 * evaluated until it fires, seen in the list, the bell and on the client's dashboard,
 * silenced from its page; the receiver got a signed "firing" body. Each new page is
 * axe-checked and screenshot (e2e/screenshots/alerts-*.png) at desktop and phone width.
 */

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on 127.0.0.1 (the demo allows private hosts) that keeps what it gets. */
async function startReceiver() {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/flowscope-hook`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Checks axe on the page as it is, then screenshots it at desktop and phone width. */
async function checkAndShoot(page: Page, name: string) {
  await page.setViewportSize({ width: 1280, height: 900 });
  await expectNoSeriousAxeViolations(page);
  await page.screenshot({ path: `e2e/screenshots/alerts-${name}.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `e2e/screenshots/alerts-${name}-phone.png`, fullPage: true });
  // No sideways scroll at phone width: tables stack.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${name} scrolls sideways at phone width`).toBeLessThanOrEqual(1);
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** A cookie-carried write from the app's own origin, as its pages send it. */
const sameOrigin = () => ({ origin: new URL(String(test.info().project.use.baseURL)).origin });

test("alerts: a webhook channel, a rule tried against history, firing in the list and the bell, silenced", async ({
  page,
}) => {
  test.setTimeout(600_000);
  const receiver = await startReceiver();
  const suffix = Date.now().toString(36);
  const CHANNEL = `E2E webhook ${suffix}`;
  const RULE = `E2E failures ${suffix}`;
  try {
    await waitForDemoSync(page.request);

    // A webhook channel; its generated signing secret is shown once.
    await page.goto("/admin/alerts");
    await expect(page.getByRole("heading", { level: 1, name: "Alerts" })).toBeVisible();
    const newChannel = page.getByRole("form", { name: "New channel" });
    await newChannel.getByLabel("Name").fill(CHANNEL);
    await newChannel.getByLabel("Kind").selectOption("webhook");
    await newChannel.getByLabel("URL").fill(receiver.url);
    await newChannel.getByRole("button", { name: "Create channel" }).click();
    const reveal = page.getByTestId("secret-reveal");
    const secret = await reveal.getByLabel("Signing secret").inputValue();
    expect(secret.length).toBeGreaterThanOrEqual(16);
    await reveal.getByRole("button", { name: "Done" }).click();
    await expect(reveal).toHaveCount(0);

    // Its test notification reaches the receiver.
    const channelRow = page.getByTestId("channel-row").filter({ hasText: CHANNEL });
    await channelRow.getByRole("button", { name: `Send test notification to ${CHANNEL}` }).click();
    await expect(channelRow.getByTestId("test-result")).toContainText("Delivered", { timeout: 30_000 });
    await expect(channelRow.getByText("ok", { exact: true })).toBeVisible();
    expect(receiver.received.map((r) => JSON.parse(r.body).kind)).toContain("test");

    // A rule the demo data clearly crosses: at least one failure in 24 h on the demo client.
    await page.goto("/admin/alerts/rules/new");
    await expect(page.getByRole("heading", { level: 1, name: "New alert rule" })).toBeVisible();
    await page.getByLabel("Name").fill(RULE);
    await page.getByLabel("Severity").selectOption("critical");
    await page.getByLabel("Client").selectOption({ label: "Demo Agency" });
    await page.getByLabel("Kind").selectOption({ label: "Failures" });
    await page.getByLabel("At least").fill("1");
    await page.getByLabel("Window").fill("1440");
    await page.getByLabel("For (minutes)").fill("0");
    await page.getByRole("checkbox", { name: CHANNEL }).check();

    // Tried against the last 7 days of stored history before it is saved.
    const fired = page.getByTestId("backtest-fired");
    await page.getByRole("button", { name: "Try against history" }).click();
    await expect(fired).toBeVisible({ timeout: 60_000 });
    expect(numberIn(await fired.innerText())).toBeGreaterThan(0);
    expect(await page.getByTestId("episode-row").count()).toBeGreaterThan(0);
    await checkAndShoot(page, "rule-editor");

    await page.getByRole("button", { name: "Create rule" }).click();
    await expect(page).toHaveURL(/\/admin\/alerts(#rules)?$/);
    const ruleRow = page.getByTestId("rule-row").filter({ hasText: RULE });
    await expect(ruleRow).toContainText("at least 1 over 24 h");
    await expect(ruleRow.getByRole("switch")).toBeChecked();

    // Evaluated now (the every-minute job would get there too), from the page's button.
    await page.getByRole("button", { name: "Evaluate now" }).click();
    await expect(page.getByTestId("evaluate-result")).toContainText("evaluated", { timeout: 60_000 });
    const clientAlerts = async () => {
      const res = await page.request.get(`/api/v1/alerts?state=firing`);
      const { alerts } = (await res.json()) as { alerts: Array<{ id: number; ruleName: string }> };
      return alerts.find((a) => a.ruleName === RULE)?.id ?? null;
    };
    await expect.poll(clientAlerts, { timeout: 60_000, message: "the rule never fired" }).not.toBeNull();

    // Firing in the list, and counted by the bell.
    await page.goto("/alerts");
    await expect(page.getByRole("heading", { level: 1, name: "Alerts" })).toBeVisible();
    const alertRow = page.getByTestId("alert-row").filter({ hasText: RULE });
    await expect(alertRow.getByTestId("alert-state")).toHaveAttribute("data-state", "firing");
    await expect(alertRow).toContainText("Demo Agency");
    await expect(alertRow).toContainText("firing since");
    const bell = page.getByTestId("alert-bell");
    await expect(bell).toHaveAttribute("aria-label", /^\d+ firing alerts?$/);
    expect(Number(await bell.getAttribute("data-count"))).toBeGreaterThanOrEqual(1);
    await checkAndShoot(page, "list");

    // The history view lists it too, and its CSV link carries the same filters.
    await page.getByLabel("Show").selectOption("history");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/view=history/);
    await expect(page.getByTestId("alert-row").filter({ hasText: RULE })).toBeVisible();
    const csv = await page.request.get("/api/v1/alerts/history?format=csv");
    expect(csv.status()).toBe(200);
    expect(await csv.text()).toContain(RULE);

    // Its page: history, the notification with its attempt, then silenced for 1 h.
    await page.goto("/alerts");
    await page
      .getByTestId("alert-row")
      .filter({ hasText: RULE })
      .getByRole("link", { name: RULE, exact: true })
      .click();
    await expect(page).toHaveURL(/\/alerts\/\d+$/);
    await expect(page.getByRole("heading", { level: 1, name: RULE })).toBeVisible();
    await expect(page.getByTestId("alert-events")).toContainText("firing");
    await expect(page.getByTestId("alert-deliveries")).toContainText(CHANNEL);
    await checkAndShoot(page, "detail");
    await page.getByRole("button", { name: "Silence this rule for 1 h" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Silenced" })).toBeVisible();
    await expect(page.getByTestId("alert-silences")).toContainText("active");

    // The silence is listed in the admin console.
    await page.goto("/admin/alerts");
    const silenceRow = page.getByTestId("silence-row").filter({ hasText: RULE });
    await expect(silenceRow).toHaveAttribute("data-status", "active");
    await expect(silenceRow).toContainText("Demo Agency");
    await checkAndShoot(page, "admin");

    // The receiver got the firing notification, signed with the channel's secret.
    await expect
      .poll(() => receiver.received.filter((r) => JSON.parse(r.body).kind === "firing").length, { timeout: 30_000 })
      .toBeGreaterThan(0);
    const firing = receiver.received.find((r) => JSON.parse(r.body).kind === "firing")!;
    const timestamp = String(firing.headers["x-flowscope-timestamp"]);
    const expected = `sha256=${createHmac("sha256", secret).update(`${timestamp}.${firing.body}`).digest("hex")}`;
    expect(firing.headers["x-flowscope-signature"]).toBe(expected);
    expect(JSON.parse(firing.body)).toMatchObject({
      kind: "firing",
      rule: { name: RULE },
      client: { slug: DEMO_SLUG },
    });

    // The client's dashboard shows it, read-only.
    await page.goto(`/clients/${DEMO_SLUG}`);
    const panel = page.getByTestId("firing-alerts");
    await expect(panel).toContainText(RULE);
    await checkAndShoot(page, "client-overview");

    // A client user sees their client's alert, without acknowledge or silence.
    const context = await page
      .context()
      .browser()!
      .newContext({ storageState: { cookies: [], origins: [] } });
    const client = await context.newPage();
    await signInThroughForm(client, DEMO_CLIENT_USER);
    await client.goto("/alerts");
    await client
      .getByTestId("alert-row")
      .filter({ hasText: RULE })
      .getByRole("link", { name: RULE, exact: true })
      .click();
    await expect(client.getByRole("heading", { level: 1, name: RULE })).toBeVisible();
    await expect(client.getByTestId("alert-events")).toBeVisible();
    await expect(client.getByRole("button", { name: /Acknowledge|Silence/ })).toHaveCount(0);
    await expect(client.getByTestId("alert-deliveries")).toHaveCount(0);
    await expect(client.getByTestId("alert-bell")).toHaveAttribute("aria-label", /firing alert/);
    await context.close();
  } finally {
    // The other specs see the demo as it was: the rule goes with its alerts, and the channel.
    const headers = sameOrigin();
    const rules = (await (await page.request.get("/api/v1/alerts/rules")).json()) as {
      rules: Array<{ id: number; name: string }>;
    };
    for (const r of rules.rules.filter((r) => r.name === RULE))
      await page.request.delete(`/api/v1/alerts/rules/${r.id}`, { headers });
    const channels = (await (await page.request.get("/api/v1/alerts/channels")).json()) as {
      channels: Array<{ id: number; name: string }>;
    };
    for (const c of channels.channels.filter((c) => c.name === CHANNEL))
      await page.request.delete(`/api/v1/alerts/channels/${c.id}`, { headers });
    await receiver.close();
  }
});

test("a workflow the demo's fake n8n is told to fail fires a per-workflow rule after the next sync", async ({
  page,
}) => {
  await waitForDemoSync(page.request);
  const headers = sameOrigin();
  const clientId = await demoClientId(page.request);
  const { clients } = (await (await page.request.get("/api/v1/admin/clients")).json()) as {
    clients: Array<{ id: number; n8nBaseUrl: string }>;
  };
  const n8nUrl = clients.find((c) => c.id === clientId)!.n8nBaseUrl;
  const rule = `E2E injected failures ${Date.now().toString(36)}`;
  // Six failures in 30 minutes of one workflow: the demo's own runs never come close.
  const created = await page.request.post("/api/v1/alerts/rules", {
    headers,
    data: { name: rule, clientId, params: { kind: "failures", count: 6, windowMinutes: 30, per: "workflow" } },
  });
  expect(created.status()).toBe(201);
  const { rule: saved } = (await created.json()) as { rule: { id: number } };
  try {
    // The fake n8n runs "Invoice sync" six times now, each failing.
    const injected = await page.request.post(`${n8nUrl}/__fake/workflows/Vb8kQ2mXr4TzN1pL/executions`, {
      headers: { "X-N8N-API-KEY": "demo-api-key" },
      data: { status: "error", count: 6 },
    });
    expect(injected.ok(), await injected.text()).toBe(true);
    // They start a second apart from now: the sync must begin after the last one started,
    // or it counts (rightly) only those that had.
    const { data } = (await injected.json()) as { data: Array<{ startedAt: string }> };
    const lastStart = Math.max(...data.map((e) => Date.parse(e.startedAt)));
    await page.waitForTimeout(Math.max(0, lastStart - Date.now()) + 1_000);
    // A sync collects them, and evaluates the client's rules when it is done.
    expect((await page.request.post(`/api/v1/tasks/sync-client/${clientId}`, { headers })).status()).toBe(202);
    const firing = async () => {
      const res = await page.request.get(`/api/v1/alerts?state=firing&ruleId=${saved.id}`);
      const { alerts } = (await res.json()) as { alerts: Array<{ workflowName: string | null; value: number }> };
      // At least the six injected (a scheduled run of its own may have failed too).
      return alerts.map((a) => `${a.workflowName}: ${a.value >= 6 ? "6 or more" : a.value} failed`);
    };
    await expect
      .poll(firing, { timeout: 60_000, message: "the injected failures never fired" })
      .toEqual(["Invoice sync: 6 or more failed"]);
  } finally {
    await page.request.delete(`/api/v1/alerts/rules/${saved.id}`, { headers });
  }
});
