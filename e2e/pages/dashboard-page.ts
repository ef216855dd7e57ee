import { expect, type Locator, type Page } from "@playwright/test";
import { DEMO_SLUG, numberIn } from "./demo-client";

export const TABS = [
  { name: "overview", label: "Overview", path: "" },
  { name: "executions", label: "Executions", path: "/executions" },
  { name: "throughput", label: "Throughput", path: "/throughput" },
  { name: "latency", label: "Latency", path: "/latency" },
  { name: "workflows", label: "Workflows", path: "/workflows" },
  { name: "patterns", label: "Patterns", path: "/patterns" },
  { name: "llm", label: "LLM usage", path: "/llm" },
  { name: "runs", label: "Runs", path: "/runs" },
] as const;
export type Tab = (typeof TABS)[number];

/** One client's dashboard, by roles and test ids. */
export class DashboardPage {
  constructor(
    readonly page: Page,
    readonly slug = DEMO_SLUG,
  ) {}

  async goto(tab: Tab, search = "") {
    await this.page.goto(`/clients/${this.slug}${tab.path}${search ? `?${search}` : ""}`);
    await expect(this.page.getByRole("heading", { level: 2, name: tab.label })).toBeVisible();
  }

  widget(id: string): Locator {
    return this.page.getByTestId(`widget-${id}`);
  }

  /** Waits for a widget's chart to be drawn (charts draw after hydration). */
  async chartDrawn(widgetId: string) {
    await expect(this.widget(widgetId).locator("canvas").first()).toBeVisible({ timeout: 15_000 });
  }

  async metricCard(metric: string): Promise<number> {
    const value = this.page.getByTestId(`metric-card-${metric}`).getByTestId("metric-value");
    await expect(value).toBeVisible();
    return numberIn(await value.innerText());
  }

  async stat(id: string): Promise<string> {
    const value = this.page.getByTestId(`stat-${id}`).getByTestId("stat-value");
    await expect(value).toBeVisible();
    return value.innerText();
  }

  timeframe(tf: string): Locator {
    return this.page.getByRole("group", { name: "Timeframe" }).getByRole("link", { name: `Last ${tf}` });
  }

  tabLink(label: string): Locator {
    return this.page.getByRole("navigation", { name: "Dashboard tabs" }).getByRole("link", { name: label });
  }

  /** How far the page scrolls sideways; 0 means nothing sticks out. */
  horizontalOverflow(): Promise<number> {
    return this.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  }

  /** Waits until every widget has left its skeleton, for scans and screenshots. */
  async settled() {
    await expect(this.page.getByRole("status")).toHaveCount(0, { timeout: 20_000 });
    // Every chart frame holds a drawn canvas (they draw after hydration).
    await expect
      .poll(() =>
        this.page.evaluate(() =>
          [...document.querySelectorAll("main [data-chart]")].every((f) => f.querySelector("canvas")),
        ),
      )
      .toBe(true);
  }
}
