import { expect, test, type Page } from "./fixtures";
import { expectNoSeriousAxeViolations } from "./pages/axe";
import { demoClientId, waitForDemoSync } from "./pages/demo-client";

/**
 * Every page outside the client dashboards (those are in dashboard.spec.ts): the admin
 * console's pages, sign-in and the password reset page, each axe-clean at desktop width
 * and screenshot at desktop and phone width (e2e/screenshots/page-*.png) to be looked at.
 */

async function latestRunId(page: Page, clientId: number): Promise<number> {
  const res = await page.request.get(`/api/v1/admin/clients/${clientId}/sync-runs?limit=1`);
  const { runs } = (await res.json()) as { runs: Array<{ id: number }> };
  if (!runs[0]) throw new Error("the demo client has no sync run");
  return runs[0].id;
}

/** Opens `path`, waits for its heading and data, checks axe, and screenshots it at both widths. */
async function visit(page: Page, path: string, name: string, heading: RegExp) {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(path);
  await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
  await page.waitForLoadState("networkidle");
  await expectNoSeriousAxeViolations(page);
  await page.screenshot({ path: `e2e/screenshots/page-${name}.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `e2e/screenshots/page-${name}-phone.png`, fullPage: true });
}

test("the admin console's pages", async ({ page }) => {
  await waitForDemoSync(page.request);
  const clientId = await demoClientId(page.request);
  const runId = await latestRunId(page, clientId);
  const pages: Array<[string, string, RegExp]> = [
    ["/admin", "admin-clients", /Clients/],
    [`/admin/clients/${clientId}`, "admin-client", /Demo Agency/],
    ["/admin/users", "admin-users", /Users/],
    ["/admin/tokens", "admin-tokens", /API tokens/],
    ["/admin/prices", "admin-prices", /prices/i],
    ["/admin/scheduler", "admin-scheduler", /Scheduler/],
    [`/admin/tasks/${runId}`, "admin-task", /Run|Task|Sync/],
  ];
  for (const [path, name, heading] of pages) await visit(page, path, name, heading);
});

test("sign-in and the password reset page, signed out", async ({ browser }) => {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await visit(page, "/sign-in", "sign-in", /Sign in/);
  // Without a token in the fragment the page says the link is incomplete.
  await visit(page, "/sign-in/reset-password", "reset-password", /Set a new password/);
  await expect(page.getByRole("main").getByRole("alert")).toContainText("This link is incomplete");
  await context.close();
});
