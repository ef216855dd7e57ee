/**
 * Users, API tokens and my-metrics through their route handlers: what admins can do,
 * what the accounts they create can then read, and what a token never reveals.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/lib/db/database";
import { GET as usersGET, POST as usersPOST } from "@/app/api/v1/admin/users/route";
import { DELETE as userDELETE } from "@/app/api/v1/admin/users/[id]/route";
import { GET as tokensGET, POST as tokensPOST } from "@/app/api/v1/admin/tokens/route";
import { DELETE as tokenDELETE } from "@/app/api/v1/admin/tokens/[id]/route";
import { GET as myMetricsGET } from "@/app/api/v1/metrics/my-metrics/route";
import { GET as overviewGET } from "@/app/api/v1/metrics/overview/route";
import { GET as allGET } from "@/app/api/v1/metrics/all/route";
import type { PublicApiToken } from "@/lib/accounts/tokens";
import type { PublicUser } from "@/lib/accounts/users";
import type { MyMetricsResponse } from "@/lib/metrics/my-metrics";
import { getOverview } from "@/lib/metrics/overview";
import { refreshRollups } from "@/lib/ingest/rollups";
import { createTestDatabase } from "./helpers/db";
import { callRoute, qs, useAsAppDatabase, type CallOptions } from "./helpers/app-db";
import { cookieHeader, signedInUser, signIn, type SignedIn } from "./helpers/auth";
import { createClient, createWorkflow, insertExecutions } from "./helpers/factories";

type RouteFn = Parameters<typeof callRoute>[0];
type Client = Awaited<ReturnType<typeof createClient>>;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Three whole UTC days ending at today's midnight: recent enough for hourly rollups. */
const END = new Date(Math.floor(Date.now() / DAY) * DAY);
const START = new Date(END.getTime() - 3 * DAY);
const RANGE = { start: START.toISOString(), end: END.toISOString() };

let handle: DatabaseHandle;
let clientA: Client;
let clientB: Client;
let admin: SignedIn;

beforeAll(async () => {
  handle = await createTestDatabase();
  useAsAppDatabase(handle);
  clientA = await createClient(handle.db);
  clientB = await createClient(handle.db);
  admin = await signedInUser(handle.db, "admin");
  // Client A: 5 successes and 2 errors in the range; client B: 3 successes.
  const wfA = await createWorkflow(handle.db, clientA.id);
  const wfB = await createWorkflow(handle.db, clientB.id);
  const at = (h: number) => new Date(START.getTime() + h * HOUR);
  await insertExecutions(handle.db, { clientId: clientA.id, workflowId: wfA.id }, [
    ...[1, 5, 9, 30, 50].map((h) => ({ startedAt: at(h) })),
    ...[12, 60].map((h) => ({ startedAt: at(h), status: "error" as const })),
  ]);
  await insertExecutions(
    handle.db,
    { clientId: clientB.id, workflowId: wfB.id },
    [2, 3, 4].map((h) => ({ startedAt: at(h) })),
  );
  await refreshRollups(handle.db, { clientId: clientA.id });
  await refreshRollups(handle.db, { clientId: clientB.id });
});
afterAll(() => handle.close());

/** A call with a session cookie (no Bearer token). */
function withCookie(
  fn: RouteFn,
  url: string,
  cookie: string,
  options: CallOptions & { params?: Record<string, string> } = {},
) {
  const { params = {}, headers = {}, ...rest } = options;
  return callRoute(fn, url, params, {
    ...rest,
    token: null,
    headers: { ...headers, cookie, "content-type": "application/json" },
  });
}

const asAdmin = (fn: RouteFn, url: string, options: CallOptions & { params?: Record<string, string> } = {}) =>
  withCookie(fn, url, admin.cookie, options);

const post = (body: unknown) => ({ method: "POST", body: JSON.stringify(body) });

async function errorMessage(res: Response): Promise<string> {
  return ((await res.json()) as { error: { message: string } }).error.message;
}

let emailCounter = 0;
const newEmail = (role: string) => `${role}-${++emailCounter}-${crypto.randomUUID().slice(0, 8)}@example.test`;
const PASSWORD = "long-enough-password";

describe("admin users API", () => {
  it("creates users of each role and lists them with their client", async () => {
    const inputs = [
      { email: newEmail("op"), name: "Olga Operator", password: PASSWORD, role: "operator" },
      { email: newEmail("admin"), password: PASSWORD, role: "admin", clientId: null },
      { email: newEmail("client"), name: "Carl Client", password: PASSWORD, role: "client", clientId: clientA.id },
    ];
    const created: PublicUser[] = [];
    for (const input of inputs) {
      const res = await asAdmin(usersPOST, "/api/v1/admin/users", post(input));
      expect(res.status, input.role).toBe(201);
      created.push((await res.json()) as PublicUser);
    }
    expect(created[0]).toMatchObject({
      email: inputs[0].email,
      name: "Olga Operator",
      role: "operator",
      clientId: null,
      clientName: null,
    });
    expect(created[1]).toMatchObject({ role: "admin", clientId: null, name: inputs[1].email.split("@")[0] });
    expect(created[2]).toMatchObject({ role: "client", clientId: clientA.id, clientName: clientA.name });

    const list = await asAdmin(usersGET, "/api/v1/admin/users");
    expect(list.status).toBe(200);
    const text = await list.text();
    const { users } = JSON.parse(text) as { users: PublicUser[] };
    for (const user of created) expect(users).toContainEqual(user);
    expect(text).not.toMatch(/password|scrypt/i);
  });

  it("answers 400 naming the field for invalid input", async () => {
    const cases: Array<[unknown, string]> = [
      [{ email: newEmail("c"), password: PASSWORD, role: "client" }, "clientId:"],
      [{ email: newEmail("o"), password: PASSWORD, role: "operator", clientId: clientA.id }, "clientId:"],
      [{ email: newEmail("o"), password: "short", role: "operator" }, "password:"],
      [{ email: newEmail("o"), password: " ".repeat(16), role: "operator" }, "password:"],
      [{ email: "not-an-email", password: PASSWORD, role: "operator" }, "email:"],
      [{ email: newEmail("x"), password: PASSWORD, role: "superuser" }, "role:"],
      [{ email: newEmail("c"), password: PASSWORD, role: "client", clientId: 999_999 }, "clientId:"],
    ];
    for (const [body, field] of cases) {
      const res = await asAdmin(usersPOST, "/api/v1/admin/users", post(body));
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await errorMessage(res)).toMatch(new RegExp(`^${field}`));
    }
  });

  it("refuses blank, short and common passwords with the reason", async () => {
    const cases: Array<[string, string]> = [
      [" ".repeat(8), "password: must be at least 10 characters, not counting spaces at either end"],
      ["   abc123   ", "password: must be at least 10 characters, not counting spaces at either end"],
      ["qwertyuiop", "password: is one of the most common passwords"],
      // Case and surrounding spaces do not make a common password rare.
      [" Password123 ", "password: is one of the most common passwords"],
      ["x".repeat(129), "password: must be at most 128 characters"],
    ];
    for (const [password, message] of cases) {
      const res = await asAdmin(
        usersPOST,
        "/api/v1/admin/users",
        post({ email: newEmail("weak"), password, role: "operator" }),
      );
      expect(res.status, JSON.stringify(password)).toBe(400);
      expect(await errorMessage(res)).toBe(message);
    }
    // The boundary: ten characters that are not on the list.
    expect(
      (
        await asAdmin(
          usersPOST,
          "/api/v1/admin/users",
          post({ email: newEmail("ok"), password: "k9-vT3x!qz", role: "operator" }),
        )
      ).status,
    ).toBe(201);
  });

  it("answers 409 for an email that already has an account, whatever its case", async () => {
    const email = newEmail("dup");
    expect(
      (await asAdmin(usersPOST, "/api/v1/admin/users", post({ email, password: PASSWORD, role: "operator" }))).status,
    ).toBe(201);
    const again = await asAdmin(
      usersPOST,
      "/api/v1/admin/users",
      post({ email: email.toUpperCase(), password: PASSWORD, role: "admin" }),
    );
    expect(again.status).toBe(409);
    expect(await errorMessage(again)).toContain(email);
  });

  it("a created client user signs in and reads only its own client", async () => {
    const email = newEmail("reader");
    const res = await asAdmin(
      usersPOST,
      "/api/v1/admin/users",
      post({ email, password: PASSWORD, role: "client", clientId: clientA.id }),
    );
    expect(res.status).toBe(201);
    const signedIn = await signIn(handle.db, email, PASSWORD);
    expect(signedIn.status).toBe(200);
    const cookie = cookieHeader(signedIn);

    expect(
      (await withCookie(overviewGET, `/api/v1/metrics/overview?${qs({ clientId: clientA.id, ...RANGE })}`, cookie))
        .status,
    ).toBe(200);
    const other = await withCookie(
      overviewGET,
      `/api/v1/metrics/overview?${qs({ clientId: clientB.id, ...RANGE })}`,
      cookie,
    );
    expect(other.status).toBe(404);
    // Admin routes are for admins: a client user gets 403, not the list.
    expect((await withCookie(usersGET, "/api/v1/admin/users", cookie)).status).toBe(403);
  });

  it("operators cannot administer users or tokens", async () => {
    const operator = await signedInUser(handle.db, "operator");
    expect((await withCookie(usersGET, "/api/v1/admin/users", operator.cookie)).status).toBe(403);
    expect((await withCookie(tokensPOST, "/api/v1/admin/tokens", operator.cookie, post({ name: "x" }))).status).toBe(
      403,
    );
  });

  it("deleting a user ends their session; an admin cannot delete themselves", async () => {
    const victim = await signedInUser(handle.db, "client", clientA.id);
    const url = `/api/v1/metrics/my-metrics?${qs(RANGE)}`;
    expect((await withCookie(myMetricsGET, url, victim.cookie)).status).toBe(200);

    const res = await asAdmin(userDELETE, `/api/v1/admin/users/${victim.userId}`, {
      method: "DELETE",
      params: { id: victim.userId },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ deleted: true });
    expect((await withCookie(myMetricsGET, url, victim.cookie)).status).toBe(401);
    expect((await signIn(handle.db, victim.email, victim.password)).status).toBe(401);

    const again = await asAdmin(userDELETE, `/api/v1/admin/users/${victim.userId}`, {
      method: "DELETE",
      params: { id: victim.userId },
    });
    expect(again.status).toBe(404);
    const self = await asAdmin(userDELETE, `/api/v1/admin/users/${admin.userId}`, {
      method: "DELETE",
      params: { id: admin.userId },
    });
    expect(self.status).toBe(400);
    expect(await errorMessage(self)).toMatch(/^id:/);
  });
});

describe("admin tokens API", () => {
  async function createToken(
    name: string,
    clientId: number | null,
  ): Promise<{ token: string; apiToken: PublicApiToken }> {
    const res = await asAdmin(tokensPOST, "/api/v1/admin/tokens", post({ name, clientId }));
    expect(res.status).toBe(201);
    return (await res.json()) as { token: string; apiToken: PublicApiToken };
  }

  it("shows a new token once; the list never holds the token or its hash", async () => {
    const { token, apiToken } = await createToken("Reporting", clientA.id);
    expect(token).toMatch(/^fs_/);
    expect(apiToken).toMatchObject({
      name: "Reporting",
      clientId: clientA.id,
      clientName: clientA.name,
      prefix: token.slice(0, 10),
      revokedAt: null,
      lastUsedAt: null,
    });
    expect(apiToken).not.toHaveProperty("token");
    expect(apiToken).not.toHaveProperty("tokenHash");

    const list = await asAdmin(tokensGET, "/api/v1/admin/tokens");
    expect(list.status).toBe(200);
    const text = await list.text();
    const hash = createHash("sha256").update(token).digest("hex");
    expect(text).not.toContain(token);
    expect(text).not.toContain(token.slice(10));
    expect(text).not.toContain(hash);
    expect(text).not.toMatch(/tokenHash|token_hash/);
    expect((JSON.parse(text) as { tokens: PublicApiToken[] }).tokens).toContainEqual(apiToken);
  });

  it("answers 400 naming the field for a bad token body", async () => {
    for (const [body, field] of [
      [{ name: "" }, "name:"],
      [{ name: "x", clientId: "one" }, "clientId:"],
      [{ name: "x", clientId: 999_999 }, "clientId:"],
    ] as const) {
      const res = await asAdmin(tokensPOST, "/api/v1/admin/tokens", post(body));
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await errorMessage(res)).toMatch(new RegExp(`^${field}`));
    }
  });

  it("a client-scoped token reads its client and gets 404 for another", async () => {
    const { token } = await createToken("Client A script", clientA.id);
    const overviewStatus = async (clientId: number) =>
      (await callRoute(overviewGET, `/api/v1/metrics/overview?${qs({ clientId, ...RANGE })}`, {}, { token })).status;
    expect(await overviewStatus(clientA.id)).toBe(200);
    expect(await overviewStatus(clientB.id)).toBe(404);
    const mine = await callRoute(myMetricsGET, `/api/v1/metrics/my-metrics?${qs(RANGE)}`, {}, { token });
    expect(mine.status).toBe(200);
    expect(((await mine.json()) as MyMetricsResponse).client.id).toBe(clientA.id);
    expect((await callRoute(allGET, `/api/v1/metrics/all?${qs(RANGE)}`, {}, { token })).status).toBe(403);
  });

  it("a global token reads every client but never administers", async () => {
    const { token, apiToken } = await createToken("Global script", null);
    expect(apiToken).toMatchObject({ clientId: null, clientName: null });
    expect((await callRoute(allGET, `/api/v1/metrics/all?${qs(RANGE)}`, {}, { token })).status).toBe(200);
    expect(
      (
        await callRoute(
          overviewGET,
          `/api/v1/metrics/overview?${qs({ clientId: clientB.id, ...RANGE })}`,
          {},
          { token },
        )
      ).status,
    ).toBe(200);
    expect((await callRoute(usersGET, "/api/v1/admin/users", {}, { token })).status).toBe(403);
    expect((await callRoute(tokensGET, "/api/v1/admin/tokens", {}, { token })).status).toBe(403);
    expect(
      (await callRoute(tokensPOST, "/api/v1/admin/tokens", {}, { token, ...post({ name: "escalate" }) })).status,
    ).toBe(403);
  });

  it("a revoked token answers 401, and the list shows when it was revoked", async () => {
    const { token, apiToken } = await createToken("Short-lived", null);
    const url = `/api/v1/metrics/all?${qs(RANGE)}`;
    expect((await callRoute(allGET, url, {}, { token })).status).toBe(200);

    const id = String(apiToken.id);
    const res = await asAdmin(tokenDELETE, `/api/v1/admin/tokens/${id}`, { method: "DELETE", params: { id } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { revoked: boolean; apiToken: PublicApiToken };
    expect(body.revoked).toBe(true);
    expect(body.apiToken.revokedAt).not.toBeNull();
    // The earlier call was recorded as the token's last use.
    expect(body.apiToken.lastUsedAt).not.toBeNull();

    expect((await callRoute(allGET, url, {}, { token })).status).toBe(401);
    const listed = (await (await asAdmin(tokensGET, "/api/v1/admin/tokens")).json()) as { tokens: PublicApiToken[] };
    expect(listed.tokens.find((t) => t.id === apiToken.id)?.revokedAt).toBe(body.apiToken.revokedAt);

    expect(
      (await asAdmin(tokenDELETE, "/api/v1/admin/tokens/999999", { method: "DELETE", params: { id: "999999" } }))
        .status,
    ).toBe(404);
    expect(
      (await asAdmin(tokenDELETE, "/api/v1/admin/tokens/abc", { method: "DELETE", params: { id: "abc" } })).status,
    ).toBe(400);
  });
});

describe("GET /api/v1/metrics/my-metrics", () => {
  it("answers a client user's own client and figures without a clientId", async () => {
    const user = await signedInUser(handle.db, "client", clientA.id);
    const res = await withCookie(myMetricsGET, `/api/v1/metrics/my-metrics?${qs(RANGE)}`, user.cookie);
    expect(res.status).toBe(200);
    const body = (await res.json()) as MyMetricsResponse;
    expect(body.client).toEqual({ id: clientA.id, name: clientA.name, slug: clientA.slug, timeZone: "UTC" });
    const total = Object.fromEntries(body.overview.totals.map((t) => [t.metric, t.value]));
    expect(total.executions).toBe(7);
    expect(total.failures).toBe(2);
    expect(body.overview.dailyTrend).toHaveLength(3);
    // The same figures as the overview endpoint's lib function.
    expect(body.overview).toEqual(
      await getOverview(handle.db, { clientId: clientA.id, range: { start: START, end: END } }),
    );

    const csv = await withCookie(
      myMetricsGET,
      `/api/v1/metrics/my-metrics?${qs({ ...RANGE, format: "csv" })}`,
      user.cookie,
    );
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect((await csv.text()).trim().split("\n")).toHaveLength(4);
  });

  it("refuses another client with 404 and anonymous callers with 401", async () => {
    const user = await signedInUser(handle.db, "client", clientA.id);
    expect(
      (
        await withCookie(
          myMetricsGET,
          `/api/v1/metrics/my-metrics?${qs({ clientId: clientB.id, ...RANGE })}`,
          user.cookie,
        )
      ).status,
    ).toBe(404);
    expect(
      (
        await withCookie(
          myMetricsGET,
          `/api/v1/metrics/my-metrics?${qs({ clientId: clientA.id, ...RANGE })}`,
          user.cookie,
        )
      ).status,
    ).toBe(200);
    expect((await callRoute(myMetricsGET, `/api/v1/metrics/my-metrics?${qs(RANGE)}`, {}, { token: null })).status).toBe(
      401,
    );
  });

  it("operators must name the client: 400 without clientId, that client's figures with it", async () => {
    const missing = await callRoute(myMetricsGET, `/api/v1/metrics/my-metrics?${qs(RANGE)}`);
    expect(missing.status).toBe(400);
    expect(await errorMessage(missing)).toMatch(/^clientId:/);

    const res = await callRoute(myMetricsGET, `/api/v1/metrics/my-metrics?${qs({ clientId: clientB.id, ...RANGE })}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as MyMetricsResponse;
    expect(body.client.slug).toBe(clientB.slug);
    expect(body.overview.totals.find((t) => t.metric === "executions")?.value).toBe(3);

    const unknown = await callRoute(myMetricsGET, `/api/v1/metrics/my-metrics?${qs({ clientId: 999_999, ...RANGE })}`);
    expect(unknown.status).toBe(404);
  });
});
