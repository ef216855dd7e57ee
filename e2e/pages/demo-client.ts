import { expect, type APIRequestContext } from "@playwright/test";

export const DEMO_SLUG = "demo-agency";

/**
 * Waits until the demo client's first sync has succeeded (the app collects it in the
 * background at start, about 10 s), so the tabs have figures to show.
 */
export async function waitForDemoSync(request: APIRequestContext): Promise<void> {
  await expect
    .poll(
      async () => {
        const res = await request.get("/api/v1/health");
        if (!res.ok()) return null;
        const body = (await res.json()) as { clients: Array<{ slug: string; lastSuccessAt: string | null }> };
        return body.clients.find((c) => c.slug === DEMO_SLUG)?.lastSuccessAt ?? null;
      },
      { timeout: 60_000, intervals: [1_000, 2_000, 5_000], message: "the demo client never synced" },
    )
    .not.toBeNull();
}

/** The demo client's id, from the admin API (the page's session must be an admin's). */
export async function demoClientId(request: APIRequestContext): Promise<number> {
  const res = await request.get("/api/v1/admin/clients");
  const { clients } = (await res.json()) as { clients: Array<{ id: number; slug: string }> };
  const demo = clients.find((c) => c.slug === DEMO_SLUG);
  if (!demo) throw new Error("the demo client is missing");
  return demo.id;
}

/** "19,547" or "4.2 s" → the number in it, for comparisons. */
export function numberIn(text: string): number {
  const match = text.replace(/,/g, "").match(/-?\d+(\.\d+)?/);
  if (!match) throw new Error(`no number in "${text}"`);
  return Number(match[0]);
}
