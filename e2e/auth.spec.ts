import { expect, test } from "./fixtures";
import { DEMO_SLUG } from "./pages/demo-client";
import { DEMO_CLIENT_USER, signInThroughForm } from "./pages/sign-in";

const OTHER_SLUG = "northwind-retail";

test.describe("signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("pages redirect to sign-in and the API answers 401", async ({ page, request }) => {
    await page.goto(`/clients/${DEMO_SLUG}`);
    await expect(page).toHaveURL(new RegExp(`/sign-in\\?next=%2Fclients%2F${DEMO_SLUG}$`));
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    // A real redirect, not a page that redirects once it has streamed.
    const home = await request.get("/", { maxRedirects: 0 });
    expect(home.status()).toBe(307);
    expect(home.headers().location).toMatch(/\/sign-in$/);
    const res = await request.get("/api/v1/metrics/all");
    expect(res.status()).toBe(401);
    expect((await res.json()).error.code).toBe("unauthorized");
  });

  test("after sign-in, the page that was asked for opens; an unsafe `next` is ignored", async ({ page }) => {
    const asked = `/clients/${DEMO_SLUG}/latency?timeframe=30d`;
    await page.goto(asked);
    await expect(page).toHaveURL(/\/sign-in\?next=/);
    await page.getByLabel("Email").fill(DEMO_CLIENT_USER.email);
    await page.getByLabel("Password").fill(DEMO_CLIENT_USER.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(new RegExp(`${asked.replace(/[?]/g, "\\?")}$`));
    await expect(page.getByRole("heading", { level: 2, name: "Latency" })).toBeVisible();

    await page.context().clearCookies();
    await page.goto("/sign-in?next=//evil.example/x");
    await page.getByLabel("Email").fill(DEMO_CLIENT_USER.email);
    await page.getByLabel("Password").fill(DEMO_CLIENT_USER.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(new RegExp(`/clients/${DEMO_SLUG}$`));
  });

  test("a wrong password is refused with a message, a short one too", async ({ page }) => {
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill(DEMO_CLIENT_USER.email);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator("form").getByRole("alert")).toHaveText("Wrong email or password.");
    await expect(page).toHaveURL(/\/sign-in$/);
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator("form").getByRole("alert")).toHaveText("Wrong email or password.");
  });
});

test.describe("client user", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("lands on their own page and cannot open another client's, in pages or API", async ({ page }) => {
    await signInThroughForm(page, DEMO_CLIENT_USER);
    await expect(page).toHaveURL(new RegExp(`/clients/${DEMO_SLUG}$`));
    await expect(page.getByRole("heading", { level: 1, name: "Demo Agency" })).toBeVisible();
    await expect(page.getByRole("link", { name: /All clients/ })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Admin" })).toHaveCount(0);
    // Figures appear once the demo's first sync is in; the page renders per request.
    await expect(async () => {
      await page.reload();
      await expect(page.getByTestId("metric-card-executions")).toBeVisible({ timeout: 2_000 });
    }).toPass({ timeout: 60_000, intervals: [1_000, 2_000, 5_000] });

    // The other demo client exists, yet its page is "not found", as is an unknown slug.
    const other = await page.goto(`/clients/${OTHER_SLUG}`);
    expect(other?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Client not found" })).toBeVisible();
    await page.screenshot({ path: "e2e/screenshots/client-user-other-client.png", fullPage: true });

    // The operator overview sends a client user back to their own page; an operator page says why.
    await page.goto("/");
    await expect(page).toHaveURL(new RegExp(`/clients/${DEMO_SLUG}$`));
    await page.goto("/admin");
    await expect(page).toHaveURL(new RegExp(`/clients/${DEMO_SLUG}\\?notice=operators-only$`));
    await expect(page.getByRole("status").filter({ hasText: "is for operators" })).toBeVisible();

    // API: their own client answers; the other client's id is a 404, not a 403 that confirms it.
    const mine = await page.request.get("/api/v1/metrics/my-metrics?timeframe=30d");
    expect(mine.status()).toBe(200);
    const myClient = (await mine.json()).client as { id: number; slug: string };
    expect(myClient.slug).toBe(DEMO_SLUG);
    const foreign = await page.request.get(`/api/v1/metrics/overview?clientId=${myClient.id + 1}&timeframe=7d`);
    expect(foreign.status()).toBe(404);
    expect((await page.request.get("/api/v1/metrics/all")).status()).toBe(403);
  });
});
