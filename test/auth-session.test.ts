import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/lib/db/database";
import { authFor } from "@/lib/accounts/auth";
import { env } from "@/lib/core/env";
import { GET as overview } from "@/app/api/v1/metrics/overview/route";
import { createTestDatabase } from "./helpers/db";
import { callRoute, useAsAppDatabase } from "./helpers/app-db";
import { cookieHeader, signedInUser, signIn } from "./helpers/auth";
import { createClient } from "./helpers/factories";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
  useAsAppDatabase(handle);
});
afterAll(() => handle.close());

describe("sessions", () => {
  it("sets an HttpOnly, SameSite session cookie stored in the database, and sign-out ends it", async () => {
    const client = await createClient(handle.db);
    const user = await signedInUser(handle.db, "client", client.id);
    const res = await signIn(handle.db, user.email, user.password);
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith("flowscope.session_token="));
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const cookie = cookieHeader(res);

    const url = `/api/v1/metrics/overview?clientId=${client.id}`;
    expect((await callRoute(overview, url, {}, { token: null, headers: { cookie } })).status).toBe(200);
    const out = await authFor(handle.db).handler(
      new Request("http://localhost/api/auth/sign-out", {
        method: "POST",
        headers: { cookie, origin: "http://localhost", "content-type": "application/json" },
        body: "{}",
      }),
    );
    expect(out.status).toBe(200);
    expect((await callRoute(overview, url, {}, { token: null, headers: { cookie } })).status).toBe(401);
  });

  it(`rate-limits sign-in to ${env.AUTH_SIGNIN_MAX_PER_MINUTE} attempts a minute per client address, whatever the account`, async () => {
    const user = await signedInUser(handle.db, "operator");
    const statuses: number[] = [];
    // A new email each time, so the per-account limit (test/auth-limits.test.ts) stays out of it.
    for (let i = 0; i < env.AUTH_SIGNIN_MAX_PER_MINUTE + 2; i++) {
      statuses.push((await signIn(handle.db, `nobody-${i}@example.test`, "wrong-password", "192.0.2.77")).status);
    }
    expect(statuses.slice(0, env.AUTH_SIGNIN_MAX_PER_MINUTE).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(env.AUTH_SIGNIN_MAX_PER_MINUTE)).toEqual([429, 429]);
    // Even the right password waits out the window from that address; another address does not.
    const limited = await signIn(handle.db, user.email, user.password, "192.0.2.77");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await signIn(handle.db, user.email, user.password, "192.0.2.78")).status).toBe(200);
  });

  it("better-auth's change-password applies the same password rule, naming the field", async () => {
    const user = await signedInUser(handle.db, "operator");
    const change = (newPassword: string) =>
      authFor(handle.db).handler(
        new Request("http://localhost/api/auth/change-password", {
          method: "POST",
          headers: { cookie: user.cookie, origin: "http://localhost", "content-type": "application/json" },
          body: JSON.stringify({ currentPassword: user.password, newPassword }),
        }),
      );
    for (const [newPassword, message] of [
      ["qwertyuiop", "newPassword: is one of the most common passwords"],
      [" ".repeat(12), "newPassword: must be at least 10 characters, not counting spaces at either end"],
    ]) {
      const res = await change(newPassword);
      expect(res.status, newPassword).toBe(400);
      expect(((await res.json()) as { message: string }).message).toBe(message);
    }
    expect((await change("a-new-and-rarer-password")).status).toBe(200);
    expect((await signIn(handle.db, user.email, "a-new-and-rarer-password")).status).toBe(200);
  });

  it("a wrong or malformed Bearer token is 401 even with a valid session cookie", async () => {
    const client = await createClient(handle.db);
    const user = await signedInUser(handle.db, "admin");
    const url = `/api/v1/metrics/overview?clientId=${client.id}`;
    for (const authorization of ["Bearer fs_not-a-token", "Basic abc"]) {
      const res = await callRoute(overview, url, {}, { token: null, headers: { cookie: user.cookie, authorization } });
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe("unauthorized");
    }
  });
});
