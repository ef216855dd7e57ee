import { expect, test, type APIRequestContext, type Page } from "./fixtures";

/**
 * Smoke test of the built app in demo mode: the demo client is collected in the
 * background at start (in-process scheduler, no Inngest), so its numbers appear within
 * about a minute.
 */

interface HealthClient {
  id: number;
  name: string;
  slug: string;
  lastSuccessAt: string | null;
  lastRun: { status: string } | null;
  executionCount: number;
}

async function health(request: APIRequestContext) {
  const res = await request.get("/api/v1/health");
  expect(res.status()).toBe(200);
  return (await res.json()) as { status: string; scheduler: { mode: string }; clients: HealthClient[] };
}

/** Waits until the demo client's first sync has succeeded, and returns it. */
async function syncedDemoClient(request: APIRequestContext): Promise<HealthClient> {
  let client: HealthClient | undefined;
  await expect
    .poll(
      async () => {
        client = (await health(request)).clients[0];
        return client?.lastSuccessAt ?? null;
      },
      { timeout: 60_000, intervals: [1_000, 2_000, 5_000], message: "demo client never synced" },
    )
    .not.toBeNull();
  if (!client) throw new Error("no client in /api/v1/health");
  return client;
}

/** The home page, by roles and test ids rather than CSS. */
class HomePage {
  constructor(private readonly page: Page) {}

  goto() {
    return this.page.goto("/");
  }

  row(slug: string) {
    return this.page.getByTestId(`client-row-${slug}`);
  }

  async executionCount(slug: string): Promise<number> {
    const text = await this.row(slug).getByTestId("execution-count").innerText();
    return Number(text.replace(/[^\d]/g, ""));
  }
}

test("health reports the demo client with a successful sync", async ({ request }) => {
  const client = await syncedDemoClient(request);
  const body = await health(request);
  expect(body.scheduler.mode).toBe("in-process");
  // The scheduler may have started the next sync meanwhile: wait for it to end, as it must, in success.
  await expect
    .poll(async () => (await health(request)).clients.find((c) => c.id === client.id)?.lastRun?.status, {
      timeout: 60_000,
      intervals: [1_000, 2_000, 5_000],
    })
    .toBe("success");
  expect(client.executionCount).toBeGreaterThan(0);
  expect(JSON.stringify(body)).not.toMatch(/apiKey/i);
});

test("home lists the demo client with its executions", async ({ page, request }) => {
  const home = new HomePage(page);
  const client = await syncedDemoClient(request);

  await home.goto();
  await expect(page.getByRole("heading", { name: "Clients" })).toBeVisible();
  await expect(home.row(client.slug).getByRole("rowheader")).toHaveText(client.name);
  // The page renders per request; reload until it shows what the sync stored.
  await expect(async () => {
    await home.goto();
    expect(await home.executionCount(client.slug)).toBeGreaterThan(0);
  }).toPass({ timeout: 60_000, intervals: [1_000, 2_000, 5_000] });

  await page.screenshot({ path: "e2e/screenshots/home.png", fullPage: true });

  // On a phone each client is a stack of labelled figures, nothing scrolls sideways.
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(home.row(client.slug).getByTestId("execution-count")).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  await page.screenshot({ path: "e2e/screenshots/home-phone.png", fullPage: true });
});
