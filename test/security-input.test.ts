/**
 * The pentest's findings on request handling, one test each: cross-origin writes with a
 * session cookie, NUL bytes and over-long text, oversized bodies, a duplicate ingest's
 * reply, what signed-out health tells, decimal-only numbers, and what a failed query
 * leaves in the log. Every route gets the same checks from the table in
 * auth-routes.test.ts; these follow single findings to their effect on stored data.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { eq, sql } from "drizzle-orm";
import type { DatabaseHandle } from "@/lib/db/database";
import { apiTokens, llmUsage, users } from "@/lib/db/schema";
import { logError, redactQueryErrorsInConsole } from "@/lib/core/log";
import { GET as listUsers, POST as createUserRoute } from "@/app/api/v1/admin/users/route";
import { POST as createClientRoute } from "@/app/api/v1/admin/clients/route";
import { POST as createTokenRoute } from "@/app/api/v1/admin/tokens/route";
import { POST as usageRoute } from "@/app/api/v1/usage/route";
import { POST as batchRoute } from "@/app/api/v1/usage/batch/route";
import { GET as healthRoute } from "@/app/api/v1/health/route";
import { GET as recentActivity } from "@/app/api/v1/metrics/recent-activity/route";
import { createTestDatabase } from "./helpers/db";
import { callRoute, postJson, qs, useAsAppDatabase } from "./helpers/app-db";
import { signedInUser, type SignedIn } from "./helpers/auth";
import { createClient } from "./helpers/factories";

let handle: DatabaseHandle;
let admin: SignedIn;
beforeAll(async () => {
  handle = await createTestDatabase();
  useAsAppDatabase(handle);
  admin = await signedInUser(handle.db, "admin");
});
afterAll(() => handle.close());

const usersNamed = (email: string) =>
  handle.db.select({ id: users.id, role: users.role }).from(users).where(eq(users.email, email));

describe("cross-origin writes with the admin's session cookie", () => {
  it("a text/plain form from another origin creates no admin; the same request from the app's own page does", async () => {
    const email = "intruder@example.test";
    const body = JSON.stringify({ email, password: "Correct-Horse-42", role: "admin" });
    const forged = await callRoute(
      createUserRoute,
      "/api/v1/admin/users",
      {},
      {
        method: "POST",
        token: null,
        origin: "http://evil.example",
        headers: { cookie: admin.cookie, "content-type": "text/plain" },
        body,
      },
    );
    expect(forged.status).toBe(403);
    // Same origin, but a form's content type: still not parsed as JSON.
    const plain = await callRoute(
      createUserRoute,
      "/api/v1/admin/users",
      {},
      { method: "POST", token: null, headers: { cookie: admin.cookie, "content-type": "text/plain" }, body },
    );
    expect(plain.status).toBe(415);
    expect(await usersNamed(email)).toEqual([]);

    const listed = await callRoute(
      listUsers,
      "/api/v1/admin/users",
      {},
      { token: null, headers: { cookie: admin.cookie } },
    );
    expect(JSON.stringify(await listed.json())).not.toContain(email);

    const own = await callRoute(
      createUserRoute,
      "/api/v1/admin/users",
      {},
      { method: "POST", token: null, headers: { cookie: admin.cookie, "content-type": "application/json" }, body },
    );
    expect(own.status).toBe(201);
    expect(await usersNamed(email)).toEqual([expect.objectContaining({ role: "admin" })]);
  });

  it("a global token cannot be minted cross-origin; a Bearer call without any Origin works", async () => {
    const before = (await handle.db.select({ n: sql<number>`count(*)::int` }).from(apiTokens))[0].n;
    const forged = await postJson(
      createTokenRoute,
      "/api/v1/admin/tokens",
      { name: "stolen" },
      { token: null, origin: "http://n8n.agency.example", headers: { cookie: admin.cookie } },
    );
    expect(forged.status).toBe(403);
    expect((await handle.db.select({ n: sql<number>`count(*)::int` }).from(apiTokens))[0].n).toBe(before);

    const client = await createClient(handle.db);
    const machine = await postJson(usageRoute, "/api/v1/usage", {
      clientId: client.id,
      model: "gpt-4o-mini",
      promptTokens: 10,
      completionTokens: 5,
      timestamp: new Date().toISOString(),
    });
    expect(machine.status).toBe(200);
    expect((await machine.json()).accepted).toBe(1);
  });
});

describe("hostile text", () => {
  it("a batch with one NUL item stores the valid ones and names the bad field", async () => {
    const client = await createClient(handle.db);
    const event = (model: string, i: number) => ({
      clientId: client.id,
      model,
      promptTokens: 100,
      completionTokens: 50,
      timestamp: new Date(Date.now() - 60_000).toISOString(),
      idempotencyKey: `nul-batch-${i}`,
    });
    const res = await postJson(batchRoute, "/api/v1/usage/batch", {
      events: [
        event("gpt-4o-mini", 0),
        event("gpt\u0000-4o", 1),
        { ...event("gpt-4o", 2), reason: "\ud800" },
        event("gpt-4o", 3),
      ],
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ accepted: 2, rejected: 2 });
    expect(body.errors).toEqual([
      { index: 1, message: "model: must not contain NUL characters" },
      { index: 2, message: "reason: must be valid Unicode text" },
    ]);
    const stored = await handle.db
      .select({ key: llmUsage.idempotencyKey })
      .from(llmUsage)
      .where(eq(llmUsage.clientId, client.id));
    expect(stored.map((r) => r.key).sort()).toEqual(["ingest:nul-batch-0", "ingest:nul-batch-3"]);
  });

  it("an n8n key of a megabyte is refused, not stored", async () => {
    const res = await postJson(
      createClientRoute,
      "/api/v1/admin/clients",
      { name: "Huge key", n8nBaseUrl: "http://127.0.0.1:9", n8nApiKey: "k".repeat(200_000) },
      { token: null, headers: { cookie: admin.cookie } },
    );
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toBe("n8nApiKey: must be at most 10000 characters");
  });

  it("a client URL typed as a metadata or link-local address is refused when saved", async () => {
    for (const [url, what] of [
      ["http://169.254.169.254", "metadata"],
      ["http://[fe80::1]:5678", "link-local"],
    ]) {
      const res = await postJson(
        createClientRoute,
        "/api/v1/admin/clients",
        { name: `Probe ${what}`, n8nBaseUrl: url, n8nApiKey: "key" },
        { token: null, headers: { cookie: admin.cookie } },
      );
      expect(res.status, url).toBe(400);
      expect((await res.json()).error.message).toBe(`n8nBaseUrl: is a ${what} address, which Flowscope does not call`);
    }
  });

  it("a body of 3 MiB to usage/batch is a 413 before it is parsed", async () => {
    const res = await postJson(batchRoute, "/api/v1/usage/batch", { events: [{ model: "x".repeat(3 * 1024 * 1024) }] });
    expect(res.status).toBe(413);
    expect((await res.json()).error).toEqual({ code: "payload_too_large", message: "body: must be at most 2048 KiB" });
  });
});

describe("answers", () => {
  it("a duplicate idempotency key with other content answers the stored row's cost, not the discarded one's", async () => {
    const client = await createClient(handle.db);
    const send = async (costUsd: number) => {
      const res = await postJson(usageRoute, "/api/v1/usage", {
        clientId: client.id,
        model: "gpt-4o",
        promptTokens: 1,
        completionTokens: 1,
        costUsd,
        idempotencyKey: "dup-1",
        timestamp: new Date().toISOString(),
      });
      return res.json();
    };
    expect(await send(0.25)).toMatchObject({ accepted: 1, duplicates: 0, costUsd: 0.25 });
    expect(await send(9.5)).toMatchObject({ accepted: 0, duplicates: 1, costUsd: 0.25 });
  });

  it("signed-out health tells the status only; signed in, the detail", async () => {
    const anonymous = await callRoute(healthRoute as never, "/api/v1/health", {}, { token: null });
    expect(Object.keys(await anonymous.json())).toEqual(["status"]);
    const signedIn = await callRoute(
      healthRoute as never,
      "/api/v1/health",
      {},
      { token: null, headers: { cookie: admin.cookie } },
    );
    expect(await signedIn.json()).toHaveProperty("database.driver");
  });

  it("numbers in query strings are decimal: limit=0x10 is a 400, limit=16 is read as 16", async () => {
    const client = await createClient(handle.db);
    const get = (limit: string) =>
      callRoute(recentActivity, `/api/v1/metrics/recent-activity?${qs({ clientId: client.id, limit })}`);
    for (const bad of ["0x10", "1e1", " 16", "16.0"]) {
      const res = await get(bad);
      expect(res.status, bad).toBe(400);
      expect((await res.json()).error.message).toBe("limit: must be an integer from 1 to 100");
    }
    expect((await get("16")).status).toBe(200);
  });
});

describe("the server log", () => {
  it("a failed query is logged with its cause and statement, never its parameters", async () => {
    const secret = "4f1c9e0b7a2d-token-hash-of-a-new-token";
    let failure: unknown;
    try {
      await handle.db.execute(
        sql`insert into api_tokens (name, token_hash, prefix) values (${"n"}, ${secret}, ${secret}), (${null}, ${secret}, ${secret})`,
      );
    } catch (err) {
      failure = err;
    }
    expect(failure).toBeDefined();
    expect(String((failure as Error).message)).toContain(secret); // what drizzle's own message holds
    const logged: string[] = [];
    const spy = vi
      .spyOn(console, "error")
      .mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" ")));
    try {
      logError("[api] request failed", failure);
    } finally {
      spy.mockRestore();
    }
    const text = logged.join("\n");
    expect(text).toContain("Database error while inserting into api_tokens");
    expect(text).toContain("insert into api_tokens");
    expect(text).not.toContain(secret);
  });

  it("a failed query that other code logs through console.error (Next, for a page) loses its parameters too", async () => {
    const secret = "encrypted-n8n-key-v1:abcdef0123456789";
    const failure = await handle.db.execute(sql`select ${secret}::int`).catch((err: unknown) => err);
    const logged: unknown[][] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void logged.push(args);
    try {
      redactQueryErrorsInConsole();
      console.error("⨯", failure, "other text stays");
    } finally {
      console.error = original;
      (globalThis as { flowscopeConsoleRedacted?: boolean }).flowscopeConsoleRedacted = false;
    }
    expect(logged).toHaveLength(1);
    const [prefix, described, other] = logged[0];
    expect(prefix).toBe("⨯");
    expect(other).toBe("other text stays");
    expect(described).toMatch(
      /^Database error while running a query: invalid input syntax for type integer: "…" \(SQLSTATE 22P02\)/,
    );
    expect(String(described)).not.toContain("abcdef0123456789");
  });
});
