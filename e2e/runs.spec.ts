import { expect, test } from "./fixtures";
import { DashboardPage, TABS } from "./pages/dashboard-page";
import { expectNoSeriousAxeViolations } from "./pages/axe";
import { DEMO_SLUG, waitForDemoSync } from "./pages/demo-client";

/** The Runs tab (the executions explorer) against the demo: filters in the URL, the API's rows, older pages, n8n links. */

const RUNS = TABS.find((t) => t.name === "runs")!;

test.beforeEach(async ({ request }) => {
  await waitForDemoSync(request);
});

test("lists the failures the API lists, pages older ones, and links each run into n8n", async ({ page }) => {
  const dash = new DashboardPage(page);
  await dash.goto(RUNS, "timeframe=30d");
  // Filtered from the form, as a user would; the range travels along.
  await page.getByLabel("Status").selectOption({ label: "Failures (error, crashed)" });
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/[?&]status=error%2Ccrashed/);
  await expect(page).toHaveURL(/[?&]timeframe=30d/);

  const rows = page.getByTestId("run-row");
  await expect(rows.first()).toBeVisible();
  const statuses = await rows.getByTestId("run-status").allInnerTexts();
  expect(statuses.length).toBeGreaterThan(0);
  expect(statuses.filter((s) => !/^(error|crashed)$/.test(s.trim()))).toEqual([]);

  // The same runs as the API from the first one shown down (a sync may add newer ones meanwhile).
  const shown = (await rows.getByTestId("run-id").allInnerTexts()).map((t) => Number(t.replace("#", "")));
  const health = (await (await page.request.get("/api/v1/health")).json()) as {
    clients: Array<{ id: number; slug: string }>;
  };
  const clientId = health.clients.find((c) => c.slug === DEMO_SLUG)?.id;
  const res = await page.request.get(
    `/api/v1/metrics/executions?clientId=${clientId}&timeframe=30d&status=error,crashed&limit=${shown.length}&cursor=${shown[0] + 1}`,
  );
  expect(res.status()).toBe(200);
  const api = (await res.json()) as { items: Array<{ executionId: number }> };
  expect(api.items.map((i) => i.executionId)).toEqual(shown);

  const href = await rows.first().getByTestId("run-id").getAttribute("href");
  expect(href).toMatch(new RegExp(`/workflow/[^/]+/executions/${shown[0]}$`));

  const older = page.getByRole("button", { name: "Load older executions" });
  if (await older.isVisible()) {
    await older.click();
    await expect.poll(() => rows.count()).toBeGreaterThan(shown.length);
    const all = (await rows.getByTestId("run-id").allInnerTexts()).map((t) => Number(t.replace("#", "")));
    expect(all).toEqual([...all].sort((a, b) => b - a));
    expect(new Set(all).size).toBe(all.length);
  }
});

test("a filter the API refuses is named, and the list shows every run instead", async ({ page }) => {
  const dash = new DashboardPage(page);
  await dash.goto(RUNS, "timeframe=30d&status=failed");
  await expect(page.getByText("The filters in the address were not used")).toContainText(
    "status: must be a comma-separated list of",
  );
  await expect(page.getByTestId("run-row").first()).toBeVisible();
});

test("the overview's failure count and a workflow's failures open the runs that failed", async ({ page }) => {
  const dash = new DashboardPage(page);
  await dash.goto(TABS[0], "timeframe=30d");
  await page.getByTestId("metric-card-failures").getByRole("link", { name: "Which runs failed?" }).click();
  await expect(page).toHaveURL(/\/runs\?timeframe=30d&status=error%2Ccrashed&class=production$/);
  await expect(page.getByRole("heading", { level: 2, name: "Runs" })).toBeVisible();
  await expect(page.getByTestId("run-row").first()).toBeVisible();
  const statuses = await page.getByTestId("run-row").getByTestId("run-status").allInnerTexts();
  expect(statuses.length).toBeGreaterThan(0);
  expect(statuses.filter((s) => !/^(error|crashed)$/.test(s.trim()))).toEqual([]);

  await dash.goto(TABS[4], "timeframe=30d");
  const link = page.getByTestId("workflow-row").locator('[data-col="failures"] a').first();
  const name = ((await link.getAttribute("aria-label")) ?? "").replace(/^.* failed runs of /, "");
  expect(name).not.toBe("");
  await link.click();
  await expect(page).toHaveURL(/\/runs\?.*workflowId=\d+/);
  await expect(page.getByTestId("run-row").first()).toBeVisible();
  const workflows = await page.getByTestId("run-row").locator("td:nth-child(2)").allInnerTexts();
  expect(workflows.length).toBeGreaterThan(0);
  expect(workflows.filter((w) => w.trim() !== name)).toEqual([]);
});

test("top errors name the causes the demo's n8n recorded, each opening its runs", async ({ page }) => {
  const dash = new DashboardPage(page);
  await dash.goto(RUNS, "timeframe=30d");
  const widget = dash.widget("top-errors");
  // The demo's failures carry n8n's error run data; the syncs read it.
  const groups = widget.getByTestId("top-errors").getByRole("listitem");
  await expect(groups.first()).toBeVisible();
  await expect(groups.first()).toContainText(/NodeApiError|NodeOperationError|WorkflowCrashedError/);
  const link = widget.getByTestId("error-runs").first();
  const runs = Number((await link.innerText()).replace(/\D/g, ""));
  await link.click();
  await expect(page).toHaveURL(/[?&]error=/);
  await expect(page.getByTestId("run-row").first()).toBeVisible();
  expect(await page.getByTestId("run-row").count()).toBe(Math.min(runs, 50));
});

test("a workflow's drill-down: its class and why, its figures, trends and errors, its runs and n8n", async ({
  page,
}) => {
  const dash = new DashboardPage(page);
  await dash.goto(TABS[4], "timeframe=30d");
  const row = page.getByTestId("workflow-row").filter({ hasText: "Invoice sync" });
  const executions = await row.locator('[data-col="executions"]').innerText();
  await row.getByRole("link", { name: "Invoice sync", exact: true }).click();
  await expect(page).toHaveURL(/\/clients\/demo-agency\/workflows\/\d+\?timeframe=30d$/);
  await expect(page.getByRole("heading", { level: 2, name: "Invoice sync" })).toBeVisible();

  const profile = page.getByTestId("workflow-profile");
  await expect(profile.getByTestId("workflow-classification")).toHaveText(
    "Included: tag “production”. Its production runs count in every figure.",
  );
  await expect(profile.getByRole("link", { name: /Open in n8n/ })).toHaveAttribute(
    "href",
    /\/workflow\/Vb8kQ2mXr4TzN1pL$/,
  );
  await expect(profile).toContainText("Time saved per run: 5 min");

  // The same figures as its row of the workflows table.
  await expect(dash.widget("workflow-figures").getByTestId("stat-executions").getByTestId("stat-value")).toHaveText(
    executions,
  );
  await expect(dash.widget("workflow-trend").locator("canvas")).toBeVisible();
  await expect(dash.widget("workflow-latency").locator("canvas")).toBeVisible();
  await expect(dash.widget("workflow-errors").getByTestId("top-errors")).toContainText("Invoice sync");

  await dash.settled();
  await expectNoSeriousAxeViolations(page);
  await page.screenshot({ path: "e2e/screenshots/workflow-drill-down.png", fullPage: true });

  await page.getByRole("link", { name: "Every run of this workflow" }).click();
  await expect(page).toHaveURL(/\/runs\?timeframe=30d&workflowId=\d+$/);
  await expect(page.getByTestId("run-row").first()).toBeVisible();
  const workflows = await page.getByTestId("run-row").locator("td:nth-child(2)").allInnerTexts();
  expect(workflows.length).toBeGreaterThan(0);
  expect(workflows.filter((w) => w.trim() !== "Invoice sync")).toEqual([]);
});
