import { expect, test, type APIRequestContext } from "./fixtures";

/**
 * The security headers as a browser receives them from the built app: proxy.ts puts a
 * per-request nonce CSP on every page, next.config.ts the rest on every answer. The
 * fixture fails any test whose pages broke the policy; these check the headers exist.
 */

const NONCE = /script-src 'self' 'nonce-([A-Za-z0-9+/]+={0,2})' 'strict-dynamic'(;|$)/;
const API_CSP = "default-src 'none'; frame-ancestors 'none'";

function nonceOf(csp: string | undefined): string {
  const match = csp?.match(NONCE);
  if (!match) throw new Error(`no script nonce in CSP: ${csp}`);
  return match[1];
}

/** What every answer carries, pages and API alike, over plain http. */
function expectCommonHeaders(headers: Record<string, string>) {
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["permissions-policy"]).toBe("camera=(), microphone=(), geolocation=()");
  expect(headers).not.toHaveProperty("x-powered-by");
  // http://127.0.0.1: HSTS would be wrong here (and ignored by browsers anyway).
  expect(headers).not.toHaveProperty("strict-transport-security");
}

function expectPagePolicy(csp: string) {
  for (const directive of [
    "default-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ]) {
    expect(csp).toContain(directive);
  }
  expect(csp).toMatch(/style-src 'self' 'nonce-[A-Za-z0-9+/]+={0,2}'(;|$)/);
  // `next start` is production: no eval, nothing inline without the nonce.
  expect(csp).not.toContain("unsafe-eval");
  expect(csp).not.toContain("unsafe-inline");
  // Over plain http there is no https:// to upgrade to.
  expect(csp).not.toContain("upgrade-insecure-requests");
}

test("a page has a nonce CSP that changes per load, on all its scripts, and the other headers", async ({ page }) => {
  const first = await page.goto("/");
  expect(first?.status()).toBe(200);
  await expect(page.getByRole("heading", { name: "Clients" })).toBeVisible();
  const headers = first?.headers() ?? {};
  expectPagePolicy(headers["content-security-policy"]);
  expectCommonHeaders(headers);

  const nonce = nonceOf(headers["content-security-policy"]);
  const second = await page.request.get("/");
  expect(second.status()).toBe(200);
  expect(nonceOf(second.headers()["content-security-policy"])).not.toBe(nonce);

  // Next put this response's nonce on every script tag it rendered.
  const html = await first!.text();
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
});

test("an unknown page answers 404 under the policy", async ({ page }) => {
  const res = await page.goto("/no-such-page");
  expect(res?.status()).toBe(404);
  expectPagePolicy(res?.headers()["content-security-policy"] ?? "");
  // The app's own 404: Next's built-in one has inline styles the policy blocks.
  await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
});

async function expectApiHeaders(request: APIRequestContext, path: string, status: number) {
  const res = await request.get(path);
  expect(res.status(), path).toBe(status);
  expect(res.headers()["content-security-policy"], path).toBe(API_CSP);
  expectCommonHeaders(res.headers());
}

test.describe("signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("sign-in has the page policy; other pages still redirect there with a real 307", async ({ page }) => {
    const res = await page.goto("/sign-in");
    expect(res?.status()).toBe(200);
    expectPagePolicy(res?.headers()["content-security-policy"] ?? "");
    expectCommonHeaders(res?.headers() ?? {});
    await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();

    const home = await page.request.get("/", { maxRedirects: 0 });
    expect(home.status()).toBe(307);
    expect(home.headers().location).toMatch(/\/sign-in$/);
  });

  test("API answers carry the API policy and the common headers", async ({ request }) => {
    await expectApiHeaders(request, "/api/v1/health", 200);
    // Signed out: an error answer is covered too.
    await expectApiHeaders(request, "/api/v1/metrics/all", 401);
  });

  test("HSTS is sent only when a proxy in front says the request came over https", async ({ request }) => {
    const https = { "x-forwarded-proto": "https" };
    const api = await request.get("/api/v1/health", { headers: https });
    expect(api.headers()["strict-transport-security"]).toBe("max-age=63072000; includeSubDomains");
    const page = await request.get("/sign-in", { headers: https });
    expect(page.headers()["strict-transport-security"]).toBe("max-age=63072000; includeSubDomains");
    expect(page.headers()["content-security-policy"]).toContain("upgrade-insecure-requests");

    const plain = await request.get("/api/v1/health", { headers: { "x-forwarded-proto": "http" } });
    expect(plain.headers()).not.toHaveProperty("strict-transport-security");
  });
});
