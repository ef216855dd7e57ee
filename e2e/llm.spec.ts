import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "./fixtures";
import { DEMO_SLUG, numberIn, waitForDemoSync } from "./pages/demo-client";

/**
 * The LLM usage tab and the model prices page, signed in as the demo admin (the setup
 * project's storage state), against the built app in demo mode (the fake n8n's AI
 * workflows record token usage).
 */

async function openLlmTab(page: Page, search = "timeframe=30d") {
  await page.goto(`/clients/${DEMO_SLUG}/llm?${search}`);
  await expect(page.getByRole("heading", { level: 2, name: "LLM usage" })).toBeVisible();
}

const widget = (page: Page, id: string) => page.getByTestId(`widget-${id}`);

async function statValue(page: Page, id: string): Promise<string> {
  const value = page.getByTestId(`stat-${id}`).getByTestId("stat-value");
  await expect(value).toBeVisible();
  return value.innerText();
}

test.beforeEach(async ({ request }) => {
  await waitForDemoSync(request);
});

test("the LLM usage tab shows real calls, tokens, cost, workflows and models", async ({ page }) => {
  // Reached through the tab link, as a user would: the range travels along.
  await page.goto(`/clients/${DEMO_SLUG}?timeframe=30d`);
  await page.getByRole("navigation", { name: "Dashboard tabs" }).getByRole("link", { name: "LLM usage" }).click();
  await expect(page).toHaveURL(/\/llm\?timeframe=30d/);
  await expect(page.getByRole("heading", { level: 2, name: "LLM usage" })).toBeVisible();
  await expect(page.getByRole("link", { name: "LLM usage" })).toHaveAttribute("aria-current", "page");

  expect(numberIn(await statValue(page, "llm-calls"))).toBeGreaterThan(0);
  expect(numberIn(await statValue(page, "llm-tokens"))).toBeGreaterThan(0);
  await expect(page.getByTestId("stat-llm-tokens")).toContainText(/[\d,]+ prompt · [\d,]+ completion/);
  // The demo's models are in the price database: a dollar figure, and never "$0.00".
  const cost = await statValue(page, "llm-cost");
  expect(cost).toMatch(/^\$[\d,]+\.\d+$/);
  expect(numberIn(cost)).toBeGreaterThan(0);
  expect(await statValue(page, "llm-estimated")).toMatch(/^\d+(\.\d)?%$/);

  await expect(widget(page, "llm-cost").locator("canvas")).toBeVisible({ timeout: 15_000 });

  const workflows = page.getByTestId("llm-workflow-row");
  await expect(workflows.first()).toBeVisible();
  expect(numberIn(await workflows.first().locator('[data-col="totalTokens"]').innerText())).toBeGreaterThan(0);
  // Sorted by total tokens, largest first.
  const tokens = (await workflows.locator('[data-col="totalTokens"]').allInnerTexts()).map(numberIn);
  expect(tokens).toEqual([...tokens].sort((a, b) => b - a));

  const models = page.getByTestId("llm-model-row");
  await expect(models.first()).toBeVisible();
  expect(numberIn(await models.first().locator('[data-col="totalTokens"]').innerText())).toBeGreaterThan(0);
  for (const row of await models.all()) {
    const priced = (await row.getAttribute("data-priced")) === "true";
    const cell = row.locator('[data-col="costUsd"]');
    if (priced) await expect(cell).toHaveText(/^\$/);
    else {
      await expect(row.getByText("Unpriced", { exact: true })).toBeVisible();
      await expect(cell).toHaveText("—");
    }
  }
});

test("CSV links point at the llm-usage tables and download them", async ({ page }) => {
  await openLlmTab(page);
  const csv = (id: string) => widget(page, id).getByRole("link", { name: /CSV/ });
  const base = String.raw`^/api/v1/metrics/llm-usage\?clientId=\d+&timeframe=30d`;
  await expect(csv("llm-workflows")).toHaveAttribute("href", new RegExp(`${base}&format=csv$`));
  await expect(csv("llm-models")).toHaveAttribute("href", new RegExp(`${base}&table=model&format=csv$`));
  await expect(csv("llm-cost")).toHaveAttribute("href", new RegExp(`${base}&table=cost&format=csv$`));

  // Fetched with the signed-in browser's cookies.
  for (const id of ["llm-workflows", "llm-models", "llm-cost"]) {
    const href = await csv(id).getAttribute("href");
    const res = await page.request.get(href ?? "");
    expect(res.status(), `${id} CSV`).toBe(200);
    expect(res.headers()["content-type"]).toContain("text/csv");
    expect((await res.text()).trim().split(/\r?\n/).length, `${id} CSV rows`).toBeGreaterThan(1);
  }
});

test("the by-workflow table sorts from the keyboard, with aria-sort", async ({ page }) => {
  await openLlmTab(page);
  const table = page.getByTestId("llm-workflows-table");
  const total = table.getByRole("columnheader", { name: /Total tokens/ });
  await expect(total).toHaveAttribute("aria-sort", "descending");

  await total.getByRole("button").focus();
  await page.keyboard.press("Enter");
  await expect(total).toHaveAttribute("aria-sort", "ascending");
  const tokens = (await table.locator('[data-col="totalTokens"]').allInnerTexts()).map(numberIn);
  expect(tokens).toEqual([...tokens].sort((a, b) => a - b));

  const name = table.getByRole("columnheader", { name: /Workflow/ });
  await name.getByRole("button").focus();
  await page.keyboard.press("Space");
  await expect(name).toHaveAttribute("aria-sort", "ascending");
  await expect(total).toHaveAttribute("aria-sort", "none");
});

test("an empty range says so in every LLM widget", async ({ page }) => {
  // Long before the demo's 30 days of history.
  await openLlmTab(page, "start=2020-01-01&end=2020-01-02");
  for (const id of ["llm-totals", "llm-cost", "llm-workflows", "llm-models"]) {
    await expect(widget(page, id).getByTestId("empty-state")).toHaveText(/No LLM usage in this range/);
  }
});

test("the LLM tab fits a phone and passes axe", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openLlmTab(page);
  await expect(page.getByRole("status")).toHaveCount(0, { timeout: 20_000 });
  expect(
    await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
  ).toBeLessThanOrEqual(0);
  await page.screenshot({ path: "e2e/screenshots/llm-phone.png", fullPage: true });

  await page.setViewportSize({ width: 1280, height: 900 });
  await expect(widget(page, "llm-cost").locator("canvas")).toBeVisible({ timeout: 15_000 });
  const scan = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = scan.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  await page.screenshot({ path: "e2e/screenshots/llm.png", fullPage: true });
});

test("the operator overview has an LLM cost column", async ({ page }) => {
  await page.goto("/?timeframe=30d");
  await expect(page.getByRole("columnheader", { name: "LLM cost" })).toBeVisible();
  await expect(page.getByTestId(`client-row-${DEMO_SLUG}`).getByTestId("llm-cost")).toHaveText(/^(\$[\d,.]+|—)$/);
});

test("model prices: an override is added, and a duplicate is refused with the server's message", async ({ page }) => {
  await page.goto("/admin/prices");
  await expect(page.getByRole("heading", { level: 1, name: "Model prices" })).toBeVisible();
  await expect(page.getByText(/recomputeCosts/).first()).toBeVisible();

  const model = `e2e-model-${Date.now()}`;
  const fill = async () => {
    await page.getByLabel("Model", { exact: true }).fill(model);
    await page.getByLabel(/Input \$ per 1M tokens/).fill("0.15");
    await page.getByLabel(/Output \$ per 1M tokens/).fill("0.6");
    await page.getByLabel(/Effective from/).fill("2026-01-01");
    await page.getByRole("button", { name: "Add price" }).click();
  };
  await fill();
  await expect(page.getByRole("status").filter({ hasText: "Saved" })).toContainText(model);
  const row = page.getByTestId("price-row").filter({ hasText: model });
  await expect(row).toContainText("$0.15");
  await expect(row).toContainText("$0.60");
  await expect(row).toContainText("2026-01-01");

  // The same model and date again: the API's conflict, shown as it words it.
  await fill();
  const alert = page.getByRole("form", { name: "Add a price" }).getByRole("alert");
  await expect(alert).toBeVisible();
  await expect(alert).not.toBeEmpty();
});
