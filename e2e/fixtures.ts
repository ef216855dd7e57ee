import { test as base, expect, type Page } from "@playwright/test";

/**
 * Every spec imports `test` and `expect` from here, so that each test fails on anything
 * the Content-Security-Policy (or nosniff) blocked: a blocked script or style breaks the
 * page in ways a test may not look at, and a policy that only works by accident would
 * otherwise go unnoticed.
 */

/** Chromium's console words for what a policy blocked ("Refused to execute inline script ..."). */
const BLOCKED = /Content Security Policy|Refused to/i;

declare global {
  interface Window {
    __flowscopeCspViolation?: (report: string) => void;
  }
}

/**
 * Watches one page: console errors with the words above, and securitypolicyviolation
 * events (they also catch what the console words differently). Reported through a
 * binding, so they survive the navigations that would empty an in-page list. Returns
 * what was seen so far, after a round trip that lets pending reports arrive.
 */
export async function watchPolicyViolations(page: Page): Promise<() => Promise<string[]>> {
  const seen: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error" && BLOCKED.test(msg.text())) seen.push(`console: ${msg.text()}`);
  });
  await page.exposeFunction("__flowscopeCspViolation", (report: string) => {
    seen.push(`securitypolicyviolation: ${report}`);
  });
  await page.addInitScript(() => {
    document.addEventListener(
      "securitypolicyviolation",
      (e) => {
        const where = e.sourceFile ? ` at ${e.sourceFile}:${e.lineNumber}` : "";
        window.__flowscopeCspViolation?.(
          `${e.effectiveDirective} blocked ${e.blockedURI || "(inline)"} on ${e.documentURI}${where}${e.sample ? ` — ${e.sample}` : ""}`,
        );
      },
      true,
    );
  });
  return async () => {
    if (!page.isClosed()) await page.evaluate(() => 0).catch(() => undefined);
    return [...seen];
  };
}

export const test = base.extend({
  page: async ({ page }, use) => {
    const violations = await watchPolicyViolations(page);
    await use(page);
    expect(await violations(), "the page broke the Content-Security-Policy").toEqual([]);
  },
});

export { expect };
export type { APIRequestContext, Locator, Page } from "@playwright/test";
