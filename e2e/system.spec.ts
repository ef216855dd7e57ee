import { expect, test, type Page } from "./fixtures";
import { expectNoSeriousAxeViolations } from "./pages/axe";
import { numberIn, waitForDemoSync } from "./pages/demo-client";

/**
 * Admin → System, signed in as the demo admin, after the demo's own sync (it syncs at
 * start): the slowest runs list a sync-client run whose link opens its task page, the
 * phase timings hold figures, the status shows the resident memory in MB and the
 * scheduler's mode; axe-clean, keyboard-usable, and screenshot at desktop and phone
 * width (e2e/screenshots/system*.png) with nothing scrolling sideways.
 */

interface Status {
  slowestRuns: Array<{ id: number; function: string; href: string }>;
}

/** A cookie-carried write from the app's own origin, as its pages send it. */
const sameOrigin = () => ({ origin: new URL(String(test.info().project.use.baseURL)).origin });

/** Waits until every panel has left its skeleton and every chart is drawn. */
async function settled(page: Page) {
  await expect(page.getByRole("main").getByRole("status")).toHaveCount(0, { timeout: 30_000 });
  await expect
    .poll(() =>
      page.evaluate(() => [...document.querySelectorAll("main [data-chart]")].every((f) => f.querySelector("canvas"))),
    )
    .toBe(true);
}

/** Axe at desktop width, then screenshots at desktop and phone width, checking the phone for sideways scroll. */
async function checkAndShoot(page: Page, name: string) {
  await page.setViewportSize({ width: 1280, height: 900 });
  await settled(page);
  await expectNoSeriousAxeViolations(page);
  await page.screenshot({ path: `e2e/screenshots/${name}.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await settled(page);
  await page.screenshot({ path: `e2e/screenshots/${name}-phone.png`, fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${name} scrolls sideways at phone width`).toBeLessThanOrEqual(1);
  await expectNoSeriousAxeViolations(page);
  await page.setViewportSize({ width: 1280, height: 900 });
}

test("system: real figures after a demo sync, the slowest run's link, axe and phone width", async ({ page }) => {
  test.setTimeout(180_000);
  await waitForDemoSync(page.request);

  // A finished sync-client run among the slowest of the day, and its phase points stored
  // (the recorder writes in batches, so they may trail the run by a moment).
  await expect
    .poll(
      async () => {
        const res = await page.request.get("/api/v1/system/status");
        if (!res.ok()) return false;
        const status = (await res.json()) as Status;
        return status.slowestRuns.some((r) => r.function === "sync-client");
      },
      { timeout: 60_000, intervals: [1_000, 2_000, 5_000], message: "no finished sync-client run in the status" },
    )
    .toBe(true);
  await expect
    .poll(
      async () => {
        const res = await page.request.get(
          "/api/v1/system-metrics?name=run_phase_duration&window=5m&groupBy=phase&labels=function:sync-client",
        );
        if (!res.ok()) return 0;
        return ((await res.json()) as { data: unknown[] }).data.length;
      },
      { timeout: 60_000, intervals: [1_000, 2_000, 5_000], message: "no phase points of a sync-client run" },
    )
    .toBeGreaterThan(0);
  // A resource sample now, so the resource charts hold a point whenever the minute's sampler ran.
  const collected = await page.request.post("/api/v1/system-metrics/collect", { headers: sameOrigin() });
  expect(collected.status()).toBeLessThan(300);

  await page.goto("/admin");
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "System" }).click();
  await expect(page).toHaveURL(/\/admin\/system$/);
  await expect(page.getByRole("heading", { level: 1, name: "System" })).toBeVisible();
  await expect(page.getByRole("group", { name: "Range" }).getByRole("link", { name: "Last 24 hours" })).toHaveAttribute(
    "aria-current",
    "true",
  );

  // The status: resident memory in MB, the scheduler's mode, the queue.
  const rss = page.getByTestId("stat-rss").getByTestId("stat-value");
  await expect(rss).toHaveText(/^[\d,]+(\.\d)? MB$/, { timeout: 20_000 });
  expect(numberIn(await rss.innerText())).toBeGreaterThan(10);
  await expect(page.getByTestId("stat-scheduler-mode")).toContainText("Mode: in-process");
  await expect(page.getByTestId("stat-queued").getByTestId("stat-value")).toHaveText(/^\d+$/);
  await expect(page.getByTestId("status-recorder")).toBeVisible();
  // The demo runs on embedded PGlite: one connection, and the disk free where its folder is.
  await expect(page.getByTestId("stat-db-size")).toContainText("embedded PGlite");
  await expect(page.getByTestId("stat-disk-free").getByTestId("stat-value")).toHaveText(/^[\d,.]+ (MB|GB)$/);

  // The phase timings: a chart, and the table beside it with the p95 of fetching and of the whole run.
  const phases = page.getByTestId("widget-phase-timings");
  await expect(phases.locator("canvas")).toBeVisible({ timeout: 15_000 });
  await expect(phases.locator("canvas")).toHaveAttribute("aria-label", /Sync phase timings, p95\..*latest: /);
  const summary = phases.getByRole("table");
  await expect(summary.getByRole("row", { name: /Fetch from n8n/ })).toBeVisible();
  const totalP95 = summary.getByTestId("phase-row-total").getByTestId("phase-p95");
  await expect(totalP95).toHaveText(/^[\d,.]+ (ms|s|min)$/);
  expect(numberIn(await totalP95.innerText())).toBeGreaterThan(0);
  expect(numberIn(await summary.getByTestId("phase-row-total").getByRole("cell").first().innerText())).toBeGreaterThan(
    0,
  );
  // The statistic switches from the keyboard.
  const p50 = phases.getByRole("button", { name: "p50 (median)" });
  await p50.focus();
  await page.keyboard.press("Enter");
  await expect(p50).toHaveAttribute("aria-pressed", "true");
  await expect(phases.locator("canvas")).toHaveAttribute("aria-label", /Sync phase timings, p50\./);

  // Success per function, as a percent of runs.
  await expect(page.getByTestId("success-sync-client")).toContainText(/\d+(\.\d)?% of \d+ runs?/);

  await checkAndShoot(page, "system");

  // 7 days: hourly buckets, still with the sync's figures.
  await page.getByRole("group", { name: "Range" }).getByRole("link", { name: "Last 7 days" }).click();
  await expect(page).toHaveURL(/range=7d/);
  await expect(page.getByText(/hourly buckets of the last 7 days/)).toBeVisible();
  await expect(phases.getByTestId("phase-row-total")).toBeVisible({ timeout: 20_000 });
  await checkAndShoot(page, "system-7d");

  // The slowest runs list a sync-client run; its link opens the run's task page.
  const slowest = page.getByTestId("slowest-runs");
  const syncRow = slowest.getByTestId("system-run-row").filter({ has: page.getByText("sync-client", { exact: true }) });
  await expect(syncRow.first()).toBeVisible();
  await expect(syncRow.first().getByTestId("run-duration")).toHaveText(/\d/);
  const link = syncRow.first().getByRole("link");
  const href = await link.getAttribute("href");
  expect(href).toMatch(/^\/admin\/tasks\/\d+$/);
  await link.focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`${href}$`));
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByTestId("run-started")).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \S+$/);
});
