import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "./fixtures";
import { DashboardPage, TABS } from "./pages/dashboard-page";

/**
 * The admin console end to end, signed in as the demo admin: a new client on one of the
 * demo's fake n8n servers, its connection tested, synced, then a rule edited with the
 * live preview, saved, and the dashboard's figures changed by the reclassification.
 */

const NAME = "E2E Agency";
const SLUG = "e2e-agency";
/** A workflow of the demo catalogue without a production tag (a tag would win over the rule). */
const EXCLUDED_WORKFLOW = "Slack digest";

async function fakeN8nUrl(page: Page): Promise<string> {
  const res = await page.request.get("/api/v1/admin/clients");
  expect(res.status()).toBe(200);
  const { clients } = (await res.json()) as {
    clients: Array<{ slug: string; n8nBaseUrl: string; apiKeyHint: string }>;
  };
  const northwind = clients.find((c) => c.slug === "northwind-retail");
  if (!northwind) throw new Error("the demo's second client is missing");
  // The admin list shows only the last 4 characters of a key, never the key.
  expect(JSON.stringify(clients)).not.toContain("demo-api-key");
  return northwind.n8nBaseUrl;
}

/** Waits for the run this page started (Sync now, Save rules) to succeed. */
async function runSucceeded(page: Page) {
  const progress = page.locator('[data-testid^="run-progress-"]').last();
  await expect(progress.getByRole("status")).toContainText("Succeeded", { timeout: 90_000 });
}

async function executions30d(page: Page): Promise<number> {
  const dash = new DashboardPage(page, SLUG);
  await dash.goto(TABS[0], "timeframe=30d");
  return dash.metricCard("executions");
}

test("admin: create a client, test it, sync, edit rules with a live preview, save, and see the figures change", async ({
  page,
}) => {
  test.setTimeout(240_000);
  const url = await fakeN8nUrl(page);

  await page.goto("/admin");
  const form = page.getByRole("region", { name: "New client" });
  await form.getByLabel("Name").fill(NAME);
  await form.getByLabel("n8n URL").fill(url);
  await form.getByLabel("API key").fill("demo-api-key");
  await form.getByRole("button", { name: "Create client" }).click();
  await page
    .getByTestId(`admin-client-${SLUG}`)
    .getByRole("link", { name: `Edit ${NAME}` })
    .click();
  await expect(page).toHaveURL(/\/admin\/clients\/\d+$/);

  await page.getByRole("button", { name: "Test connection" }).click();
  const result = page.getByTestId("connection-result");
  await expect(result).toHaveAttribute("data-kind", "ok", { timeout: 30_000 });
  await expect(result).toContainText(/\d+ workflows?/);

  await page.getByRole("button", { name: "Sync now" }).click();
  await runSucceeded(page);
  const adminUrl = page.url();

  // The whole history n8n has is held, and the panel says so with the API's figures.
  const clientId = adminUrl.split("/").pop();
  const coverage = await (await page.request.get(`/api/v1/clients/${clientId}/coverage`)).json();
  expect(coverage).toMatchObject({ complete: true, idsMissing: 0, idsToRead: 0 });
  expect(coverage.idsSeen).toBeGreaterThan(0);
  const panel = page.getByTestId("coverage");
  await expect(panel).toContainText("Complete", { timeout: 30_000 });
  await expect(panel).toContainText(coverage.idsSeen.toLocaleString("en-US"));

  const before = await executions30d(page);
  expect(before).toBeGreaterThan(0);

  await page.goto(adminUrl);
  const scan = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(scan.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);
  const newlyExcluded = page.getByTestId("preview-newly-excluded");
  const countIn = async () => Number((await newlyExcluded.innerText()).replace(/\D/g, ""));
  await expect(newlyExcluded).toBeVisible();
  expect(await countIn()).toBe(0);
  await page.getByRole("button", { name: "Add exclude pattern" }).click();
  await page.getByRole("textbox", { name: "Exclude pattern 1", exact: true }).fill(`^${EXCLUDED_WORKFLOW}$`);
  // The preview follows the edit before anything is saved.
  await expect(async () => expect(await countIn()).toBeGreaterThan(0)).toPass({ timeout: 15_000 });
  await expect(page.getByTestId("rules-preview")).toContainText(`pattern:^${EXCLUDED_WORKFLOW}$`);
  await page.screenshot({ path: "e2e/screenshots/admin-rules-preview.png", fullPage: true });

  await page.getByRole("button", { name: "Save rules" }).click();
  await runSucceeded(page);

  const after = await executions30d(page);
  expect(after).toBeLessThan(before);
});

test.describe("signed in as a client user", () => {
  // A fresh, signed-out context through the fixture's page, so the policy is watched here too.
  test.use({ storageState: { cookies: [], origins: [] } });

  test("admin pages are not for operators' eyes: a client user is sent to their own page", async ({ page }) => {
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill("client@demo.flowscope.dev");
    await page.getByLabel("Password").fill("demo-client-pass");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/clients\/demo-agency$/);
    await page.goto("/admin");
    await expect(page).toHaveURL(/\/clients\/demo-agency\?notice=operators-only$/);
    expect((await page.request.get("/api/v1/admin/clients")).status()).toBe(403);
  });
});
