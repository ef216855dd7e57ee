import { expect, test } from "./fixtures";
import { expectNoSeriousAxeViolations } from "./pages/axe";
import { demoClientId, waitForDemoSync } from "./pages/demo-client";

/**
 * The admin console's polish, signed in as the demo admin: the rules preview's reasons,
 * a run's page (times to the second, phases that add up, the way back to its client), the
 * scheduler's jobs with Run now, editing a user and a reset link that works once, and the
 * prices in force with re-pricing. Each page is checked with axe.
 */

test("rules preview: a production tag keeps a workflow in over an exclude pattern, and says so", async ({ page }) => {
  await waitForDemoSync(page.request);
  await page.goto(`/admin/clients/${await demoClientId(page.request)}`);
  await page.getByRole("button", { name: "Add exclude pattern" }).click();
  await page.getByRole("textbox", { name: "Exclude pattern 1", exact: true }).fill("^Invoice");
  const kept = page.getByTestId("preview-kept");
  await expect(kept).toContainText("Invoice sync", { timeout: 15_000 });
  await expect(kept).toContainText("Included: tag “production” wins over exclude pattern “^Invoice”.");
  await expect(page.getByTestId("preview-patterns")).toContainText("matches 1 workflow: Invoice sync");
  // Tags show beside the names; the full list opens from the keyboard.
  const all = page.getByTestId("preview-verdicts");
  await all.locator("summary").focus();
  await page.keyboard.press("Enter");
  await expect(all.getByTestId("preview-verdict").filter({ hasText: "Invoice sync" })).toContainText("finance");
  await expectNoSeriousAxeViolations(page);
});

test("a run's page: times to the second in the client's zone, phases adding up, a link back to the client", async ({
  page,
}) => {
  await waitForDemoSync(page.request);
  const clientId = await demoClientId(page.request);
  await page.goto(`/admin/clients/${clientId}`);
  const row = page.getByTestId("sync-run-row").first();
  await expect(row).toContainText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} /, { timeout: 15_000 });
  await expect(row.getByTestId("phase-breakdown")).toContainText("total");
  await row.getByRole("link").first().click();
  await expect(page).toHaveURL(/\/admin\/tasks\/\d+$/);
  await expect(page.getByTestId("run-started")).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \S+$/);
  const phases = page.getByRole("table", { name: "Where the time went" });
  await expect(phases.getByRole("row", { name: /Total/ })).toContainText("100%");
  await expectNoSeriousAxeViolations(page);
  await page.getByTestId("run-back-link").click();
  await expect(page).toHaveURL(new RegExp(`/admin/clients/${clientId}$`));
});

test("scheduler: jobs in words with their next run, and Run now follows the run to its end", async ({ page }) => {
  await page.goto("/admin/scheduler");
  const retention = page.getByTestId("job-retention");
  await expect(page.getByTestId("job-collect")).toContainText("Collect executions");
  await expect(page.getByTestId("job-rollupDaily")).toContainText("Daily rollup");
  await expect(retention.getByTestId("job-next-run")).toHaveText(/\d{4}-\d{2}-\d{2} 01:00:00 UTC/);
  await expectNoSeriousAxeViolations(page);
  await retention.getByRole("button", { name: "Run Retention now" }).click();
  await expect(retention.getByRole("status").first()).toContainText("Succeeded", { timeout: 60_000 });
});

test("users: a role is changed in place, and a reset link sets a new password once", async ({ page, browser }) => {
  const email = `polish-${Date.now()}@example.test`;
  await page.goto("/admin/users");
  // A cookie-carried write from the app's own origin, as its pages send it.
  const created = await page.request.post("/api/v1/admin/users", {
    data: { email, password: "an initial passphrase", role: "operator" },
    headers: { origin: new URL(page.url()).origin },
  });
  expect(created.status()).toBe(201);
  await page.reload();
  const row = page.getByTestId(`user-row-${email}`);
  await row.getByRole("button", { name: `Edit ${email}` }).click();
  const form = page.getByRole("form", { name: `Edit ${email}` });
  await form.getByLabel("Role").selectOption("client");
  // A client user needs a client (the browser asks for it; the API's 400 is in test/admin-polish.test.ts).
  await form.getByLabel("Client", { exact: true }).selectOption({ label: "Demo Agency" });
  await form.getByRole("button", { name: "Save" }).click();
  await expect(row).toContainText("Demo Agency");
  await expect(row.getByRole("button", { name: `Edit ${email}` })).toBeFocused();

  await row.getByRole("button", { name: `Reset link for ${email}` }).click();
  const reveal = page.getByTestId("reset-link");
  await expect(reveal).toContainText("No email is configured, so the link is shown here");
  await expectNoSeriousAxeViolations(page);
  const url = await reveal.getByLabel("Reset link").inputValue();
  expect(url).toMatch(/\/sign-in\/reset-password#token=/);

  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const visitor = await context.newPage();
  await visitor.goto(url);
  await visitor.getByLabel("New password", { exact: true }).fill("a fresh passphrase here");
  // Read, the token leaves the address bar (history, screenshots).
  await expect(visitor).toHaveURL(/\/sign-in\/reset-password$/);
  await visitor.getByLabel("Repeat the new password").fill("a fresh passphrase here");
  await visitor.getByRole("button", { name: "Set password" }).click();
  await expect(visitor.getByRole("main").getByRole("status")).toContainText("Your new password is set");
  // Opened again as a new load (the link differs from the page only by its fragment, which
  // would otherwise be a same-page jump).
  await visitor.goto("about:blank");
  await visitor.goto(url);
  await visitor.getByLabel("New password", { exact: true }).fill("yet another passphrase");
  await visitor.getByLabel("Repeat the new password").fill("yet another passphrase");
  await visitor.getByRole("button", { name: "Set password" }).click();
  await expect(visitor.getByRole("main").getByRole("alert")).toContainText("expired or has already been used");
  const signIn = await visitor.request.post("/api/auth/sign-in/email", {
    data: { email, password: "a fresh passphrase here" },
    headers: { origin: new URL(url).origin },
  });
  expect(signIn.status()).toBe(200);
  await context.close();
});

test("prices: the price in force per model with its source, and re-pricing says how many calls changed", async ({
  page,
}) => {
  await waitForDemoSync(page.request);
  await page.goto("/admin/prices");
  const table = page.getByTestId("prices-in-force");
  await expect(table.getByTestId("price-in-force-row").first()).toBeVisible();
  await expect(table).toContainText("genai-prices catalog");
  await page.getByRole("button", { name: "Re-price stored usage" }).click();
  await expect(page.getByTestId("reprice-result")).toContainText(/priced calls/, { timeout: 30_000 });
  await expectNoSeriousAxeViolations(page);
});
