import { readFile } from "node:fs/promises";
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "./fixtures";
import { DashboardPage, TABS } from "./pages/dashboard-page";
import { DEMO_SLUG, numberIn, waitForDemoSync } from "./pages/demo-client";

/**
 * The client dashboard against the built app in demo mode: every tab shows real
 * figures, the range lives in the URL, CSV downloads work, phones fit, axe finds no
 * serious problem. Screenshots of each tab go to e2e/screenshots/<tab>.png.
 */

test.beforeEach(async ({ request }) => {
  await waitForDemoSync(request);
});

test("each tab renders real figures", async ({ page }) => {
  const dash = new DashboardPage(page);
  const [overview, executions, throughput, latency, workflows, patterns] = TABS;

  await dash.goto(overview, "timeframe=30d");
  expect(await dash.metricCard("executions")).toBeGreaterThan(0);
  expect(await dash.metricCard("success_rate")).toBeGreaterThan(0);
  await dash.chartDrawn("trend");
  await expect(dash.widget("recent-activity").getByRole("listitem")).not.toHaveCount(0);
  // Metric toggles are buttons with a pressed state.
  const rate = dash.widget("trend").getByRole("button", { name: "Success rate" });
  await rate.click();
  await expect(rate).toHaveAttribute("aria-pressed", "true");
  // The choice is in the URL; a third unit waits until one is turned off (two axes at most).
  await expect(page).toHaveURL(/[?&]metrics=executions%2Cfailures%2CsuccessRate/);
  const duration = dash.widget("trend").getByRole("button", { name: "Avg duration" });
  await expect(duration).toHaveAttribute("aria-disabled", "true");

  // Through the tab links, as a user would: the range travels along.
  await dash.tabLink(executions.label).click();
  await expect(page).toHaveURL(/\/executions\?timeframe=30d/);
  await expect(page.getByTestId("queue-severity")).toContainText(/Queue depth \d+/);
  await expect(page.getByTestId("queue-severity")).toContainText(/OK|Warning|Critical/);
  await dash.chartDrawn("timeline");
  expect(numberIn(await dash.stat("success-rate"))).toBeGreaterThan(0);

  await dash.goto(throughput, "timeframe=30d");
  expect(numberIn(await dash.stat("throughput-total"))).toBeGreaterThan(0);
  expect(numberIn(await dash.stat("per-hour"))).toBeGreaterThan(0);
  await dash.chartDrawn("throughput");

  await dash.goto(latency, "timeframe=30d");
  for (const p of ["p50", "p95", "p99"]) expect(numberIn(await dash.stat(p))).toBeGreaterThan(0);
  await dash.chartDrawn("latency");
  await dash.chartDrawn("latency-trend");

  await dash.goto(workflows, "timeframe=30d");
  await expect(page.getByTestId("workflow-row").first()).toBeVisible();
  expect(await page.getByTestId("workflow-row").count()).toBeGreaterThan(1);

  await dash.goto(patterns, "timeframe=30d");
  await dash.chartDrawn("patterns");
  await expect(page.getByRole("heading", { name: /^Bursts \(\d+\)$/ })).toBeVisible();
  await expect(page.getByRole("heading", { name: /^Anomalies \(\d+\)$/ })).toBeVisible();
});

test("a 1 h range shows exactly the executions of the last 60 minutes", async ({ page }) => {
  const dash = new DashboardPage(page);
  const health = (await (await page.request.get("/api/v1/health")).json()) as {
    clients: Array<{ id: number; slug: string }>;
  };
  const clientId = health.clients.find((c) => c.slug === DEMO_SLUG)?.id;
  // From raw executions over exactly the last hour, never cached.
  const live = async () => {
    const res = await page.request.get(`/api/v1/metrics/live-summary?clientId=${clientId}&timeframe=1h`);
    expect(res.status()).toBe(200);
    const body = (await res.json()) as { summary: Array<{ metric: string; total: number | null }> };
    return body.summary.find((r) => r.metric === "executions")?.total ?? 0;
  };
  // An execution may start, or a sync land, while the page loads: retry until the live
  // figure is the same before and after, so the page's figure has one right answer.
  for (let attempt = 1; ; attempt++) {
    const before = await live();
    await dash.goto(TABS[0], "timeframe=1h");
    await dash.settled();
    const card = page.getByTestId("metric-card-executions");
    const shown = (await card.count()) > 0 ? await dash.metricCard("executions") : 0;
    const after = await live();
    if (before === after || attempt === 5) {
      expect(shown).toBe(after);
      break;
    }
  }
});

test("the workflows table sorts from the keyboard, with aria-sort", async ({ page }) => {
  const dash = new DashboardPage(page);
  await dash.goto(TABS[4], "timeframe=30d");
  const header = page.getByRole("columnheader", { name: /Workflow/ });
  await expect(header).toHaveAttribute("aria-sort", "none");

  await header.getByRole("button").focus();
  await page.keyboard.press("Enter");
  await expect(header).toHaveAttribute("aria-sort", "ascending");
  const names = await page.getByTestId("workflow-row").getByRole("rowheader").allInnerTexts();
  expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));

  await page.keyboard.press("Space");
  await expect(header).toHaveAttribute("aria-sort", "descending");
  await expect(page.getByRole("columnheader", { name: /Executions/ })).toHaveAttribute("aria-sort", "none");
  // The sort is in the URL, so a reload (or a shared link) keeps it.
  await expect(page).toHaveURL(/[?&]sort=name&dir=descending/);
  await page.reload();
  await expect(page.getByRole("columnheader", { name: /Workflow/ })).toHaveAttribute("aria-sort", "descending");

  // The search box keeps the rows whose name holds the text.
  const first = names[0];
  const word = first.split(/\s+/)[0];
  await page.getByRole("searchbox", { name: "Find a workflow" }).fill(word);
  await expect(page).toHaveURL(new RegExp(`[?&]find=${encodeURIComponent(word).replace(/%20/g, "\\+")}`));
  const found = await page.getByTestId("workflow-row").getByRole("rowheader").allInnerTexts();
  expect(found.length).toBeGreaterThan(0);
  expect(found.filter((n) => !n.toLowerCase().includes(word.toLowerCase()))).toEqual([]);
});

test("changing the timeframe changes the URL and the figures", async ({ page }) => {
  const dash = new DashboardPage(page);
  await dash.goto(TABS[0], "timeframe=30d");
  const month = await dash.metricCard("executions");

  await dash.timeframe("24h").click();
  await expect(page).toHaveURL(/[?&]timeframe=24h/);
  await expect(dash.timeframe("24h")).toHaveAttribute("aria-current", "true");
  await expect(page.getByTestId("range-label")).toHaveText(/last 24h/);
  const day = await dash.metricCard("executions");
  expect(day).toBeGreaterThan(0);
  expect(day).toBeLessThan(month);

  // A custom range of whole days replaces the timeframe in the URL.
  const end = new Date();
  const start = new Date(end.getTime() - 2 * 86_400_000);
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  await page.getByLabel("From", { exact: true }).fill(iso(start));
  await page.getByLabel("To", { exact: true }).fill(iso(end));
  await page.getByRole("button", { name: "Apply range" }).click();
  await expect(page).toHaveURL(new RegExp(`start=${iso(start)}&end=${iso(end)}`));
  await expect(page.getByTestId("range-label")).toHaveText(`${iso(start)} to ${iso(end)} (UTC)`);
  const custom = await dash.metricCard("executions");
  expect(custom).toBeGreaterThan(day);
  expect(custom).toBeLessThan(month);

  // With times, the ends are instants on the client's clock (UTC here), as the API takes them.
  await page.getByLabel("From time (optional)").fill("06:00");
  await page.getByLabel("To time (optional)").fill("18:30");
  await page.getByRole("button", { name: "Apply range" }).click();
  const [from, to] = [`${iso(start)}T06:00:00Z`, `${iso(end)}T18:30:00Z`];
  await expect(page).toHaveURL(new RegExp(`start=${encodeURIComponent(from)}&end=${encodeURIComponent(to)}`));
  await expect(page.getByTestId("range-label")).toHaveText(`${from} to ${to} (UTC)`);
  await expect(page.getByLabel("From time (optional)")).toHaveValue("06:00");

  // Auto-refresh is a toggle kept in the URL too.
  await page.getByRole("button", { name: /Auto-refresh/ }).click();
  await expect(page).toHaveURL(/refresh=on/);
  await expect(page.getByRole("button", { name: "Auto-refresh on" })).toHaveAttribute("aria-pressed", "true");
});

test("a bad range in the URL is explained, not a broken page", async ({ page }) => {
  const dash = new DashboardPage(page);
  await dash.goto(TABS[0], "start=2026-02-10&end=2026-02-01");
  await expect(page.getByRole("alert").filter({ hasText: "range in the address was not used" })).toContainText("end");
  expect(await dash.metricCard("executions")).toBeGreaterThanOrEqual(0);
});

test("an unknown client is a not-found page", async ({ page }) => {
  await page.goto("/clients/no-such-client");
  await expect(page.getByRole("heading", { name: "Client not found" })).toBeVisible();
});

test("a CSV download holds a header and rows", async ({ page }) => {
  const dash = new DashboardPage(page);
  await dash.goto(TABS[4], "timeframe=30d");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    dash.widget("workflows").getByRole("link", { name: /CSV/ }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
  const lines = (await readFile(await download.path(), "utf8")).trim().split(/\r?\n/);
  expect(lines[0]).toMatch(/(^|,)name(,|$)/);
  expect(lines[0]).toMatch(/(^|,)executions(,|$)/);
  expect(lines.length).toBeGreaterThan(2);
  const rows = await page.getByTestId("workflow-row").count();
  expect(lines.length - 1).toBe(rows);
});

test("a custom range of instants in the URL works as it does in the API", async ({ page }) => {
  const dash = new DashboardPage(page);
  const end = new Date();
  const start = new Date(end.getTime() - 6 * 3_600_000);
  const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");
  await dash.goto(TABS[0], `start=${iso(start)}&end=${iso(end)}`);
  await expect(page.getByTestId("range-label")).toContainText(`${iso(start)} to ${iso(end)}`);
  await expect(page.getByText("The range in the address was not used")).toHaveCount(0);
});

test("at phone width one timeframe select replaces the row of buttons", async ({ page }) => {
  const dash = new DashboardPage(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await dash.goto(TABS[0], "timeframe=30d");
  await expect(page.getByRole("group", { name: "Timeframe" })).toBeHidden();
  const select = page.getByRole("combobox", { name: "Timeframe" });
  await expect(select).toHaveValue("30d");
  await select.selectOption("24h");
  await expect(page).toHaveURL(/[?&]timeframe=24h/);
  // The first figure is on the first screen.
  const card = page.getByTestId("metric-card-executions");
  if ((await card.count()) > 0) expect((await card.boundingBox())!.y).toBeLessThan(844);
});

for (const tab of TABS) {
  test(`${tab.name}: fits a 390 px phone, passes axe, screenshot`, async ({ page }) => {
    const dash = new DashboardPage(page);

    await page.setViewportSize({ width: 390, height: 844 });
    await dash.goto(tab, "timeframe=30d");
    await dash.settled();
    expect(await dash.horizontalOverflow()).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `e2e/screenshots/${tab.name}-phone.png`, fullPage: true });

    await page.setViewportSize({ width: 1280, height: 900 });
    await dash.settled();
    const scan = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    const serious = scan.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
    await page.screenshot({ path: `e2e/screenshots/${tab.name}.png`, fullPage: true });
  });
}

test("home: every client with figures and freshness, axe-clean", async ({ page }) => {
  await page.goto("/?timeframe=30d");
  const row = page.getByTestId("client-row-demo-agency");
  expect(numberIn(await row.getByTestId("execution-count").innerText())).toBeGreaterThan(0);
  await expect(row.getByTestId("last-sync")).toContainText(/Fresh|Stale/);
  // Status first: a state in words with its reason, a sparkline, the last failure with a link.
  await expect(row.getByTestId("health")).toContainText(/Failing|Degraded|Healthy/);
  await expect(row.getByRole("img", { name: /^Runs per (hour|day), peak \d/ })).toBeVisible();
  const lastFailure = row.getByTestId("last-failure").getByRole("link");
  if ((await lastFailure.count()) > 0) {
    await expect(lastFailure).toHaveAttribute("href", /\/clients\/demo-agency\/runs\?timeframe=90d&executionId=\d+$/);
  }
  const scan = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(scan.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);

  await row.getByRole("link", { name: "Demo Agency" }).click();
  await expect(page).toHaveURL(/\/clients\/demo-agency\?timeframe=30d/);
  await expect(page.getByRole("heading", { level: 1, name: "Demo Agency" })).toBeVisible();
});

test("dark mode follows the system setting, passes axe, screenshot", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "dark" });
  const dash = new DashboardPage(page);
  await dash.goto(TABS[0], "timeframe=30d");
  await dash.settled();
  // The page's background is dark and its text light.
  const [background, text] = await page.evaluate(() => {
    const style = getComputedStyle(document.body);
    return [style.backgroundColor, style.color];
  });
  // Any CSS colour (the theme's are oklch) to its sRGB lightness 0..1, through a canvas pixel.
  const lightness = (colour: string) =>
    page.evaluate((c) => {
      const context = document.createElement("canvas").getContext("2d")!;
      context.fillStyle = c;
      context.fillRect(0, 0, 1, 1);
      const [r, g, b] = context.getImageData(0, 0, 1, 1).data;
      return (r + g + b) / (3 * 255);
    }, colour);
  expect(await lightness(background)).toBeLessThan(0.3);
  expect(await lightness(text)).toBeGreaterThan(0.7);
  const scan = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = scan.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  await page.screenshot({ path: "e2e/screenshots/overview-dark.png", fullPage: true });
});
