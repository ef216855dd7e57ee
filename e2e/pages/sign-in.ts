import { expect, type Page } from "@playwright/test";

/** The demo's accounts (lib/jobs/boot/demo.ts DEMO_ACCOUNTS), printed by the server at start. */
export const DEMO_ADMIN = { email: "admin@demo.flowscope.dev", password: "demo-admin-pass" };
export const DEMO_CLIENT_USER = { email: "client@demo.flowscope.dev", password: "demo-client-pass" };

export const ADMIN_STATE = "test-results/.auth/admin.json";

/** Signs in through the form, as a person would, and waits for the landing page. */
export async function signInThroughForm(page: Page, account: { email: string; password: string }): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/sign-in/);
}
