/**
 * The sign-in limits through better-auth's real handler and the app's auth route: which
 * address a request is counted against (the connection's, or what a trusted proxy
 * reports, never what the client writes), and the per-account backoff.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { eq } from "drizzle-orm";
import type { DatabaseHandle } from "@/lib/db/database";
import { rateLimits, sessions, signInFailures } from "@/lib/db/schema";
import { env } from "@/lib/core/env";
import { clientAddress, peerHeader } from "@/lib/accounts/peer-address";
import { accountDelaySeconds } from "@/lib/accounts/sign-in-limit";
import { createUser } from "@/lib/accounts/users";
import { POST as authPOST } from "@/app/api/auth/[...all]/route";
import { createTestDatabase } from "./helpers/db";
import { pinClock, postJson, useAsAppDatabase } from "./helpers/app-db";
import { nextTestAddress, signIn } from "./helpers/auth";

const MAX = env.AUTH_SIGNIN_MAX_PER_MINUTE;
const N = env.AUTH_ACCOUNT_FAILURES_BEFORE_DELAY;
const PASSWORD = "correct-horse-battery-staple";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
  useAsAppDatabase(handle);
});
afterAll(() => handle.close());

const savedProxies = env.AUTH_TRUSTED_PROXIES;
afterEach(() => {
  env.AUTH_TRUSTED_PROXIES = savedProxies;
  vi.useRealTimers();
});

let emailCounter = 0;
/** A fresh email per attempt, so only the per-address limit is in play. */
const nobody = () => `nobody-${++emailCounter}-${crypto.randomUUID().slice(0, 8)}@example.test`;

async function newUser(): Promise<string> {
  const email = `limits-${crypto.randomUUID().slice(0, 8)}@example.test`;
  await createUser(handle.db, { email, password: PASSWORD, role: "operator" });
  return email;
}

/** How many sign-ins better-auth has counted against this address in the current window. */
async function countedFor(address: string): Promise<number | undefined> {
  const [row] = await handle.db
    .select({ count: rateLimits.count })
    .from(rateLimits)
    .where(eq(rateLimits.key, `${address}|/sign-in/email`));
  return row?.count;
}

async function failureRow(email: string) {
  const [row] = await handle.db.select().from(signInFailures).where(eq(signInFailures.email, email.toLowerCase()));
  return row;
}

describe("clientAddress", () => {
  const headers = (h: Record<string, string>) => new Headers(h);

  it("is the connection's address without trusted proxies, whatever the forwarded header says", () => {
    env.AUTH_TRUSTED_PROXIES = undefined;
    expect(clientAddress(headers({ [peerHeader()]: "192.0.2.10", "x-forwarded-for": "203.0.113.1" }))).toBe(
      "192.0.2.10",
    );
    // IPv4 clients of a dual-stack server arrive mapped into IPv6.
    expect(clientAddress(headers({ [peerHeader()]: "::ffff:192.0.2.11" }))).toBe("192.0.2.11");
    // One IPv6 host usually holds a whole /64.
    expect(clientAddress(headers({ [peerHeader()]: "2001:db8:1:2::5" }))).toBe(
      clientAddress(headers({ [peerHeader()]: "2001:db8:1:2::99" })),
    );
    expect(clientAddress(headers({ "x-forwarded-for": "203.0.113.1" }))).toBeNull();
  });

  it("behind a trusted proxy, is the right-most address of the header that is not a trusted proxy", () => {
    env.AUTH_TRUSTED_PROXIES = ["10.9.0.0/16", "127.0.0.1"];
    const viaProxy = (xff?: string) =>
      clientAddress(headers({ [peerHeader()]: "::ffff:10.9.0.1", ...(xff ? { "x-forwarded-for": xff } : {}) }));
    expect(viaProxy("198.51.100.7, 203.0.113.5, 10.9.0.2")).toBe("203.0.113.5");
    expect(viaProxy("203.0.113.5")).toBe("203.0.113.5");
    // Every hop trusted, no header, or a hop that is not an address: the proxy's own bucket.
    expect(viaProxy("10.9.3.3")).toBe("10.9.0.1");
    expect(viaProxy()).toBe("10.9.0.1");
    expect(viaProxy("203.0.113.5, not-an-address")).toBe("10.9.0.1");
    // A connection that is not from a trusted proxy: its header is not read at all.
    expect(clientAddress(headers({ [peerHeader()]: "192.0.2.10", "x-forwarded-for": "203.0.113.5" }))).toBe(
      "192.0.2.10",
    );
  });
});

describe("per-address limit", () => {
  it("ignores the forwarded header without a trusted proxy: a new value per attempt is still limited", async () => {
    const peer = "192.0.2.20";
    const statuses: number[] = [];
    for (let i = 0; i < MAX + 1; i++) {
      statuses.push(
        (await signIn(handle.db, nobody(), "wrong-password", peer, { "x-forwarded-for": `203.0.113.${i + 1}` })).status,
      );
    }
    expect(statuses.slice(0, MAX)).toEqual(Array(MAX).fill(401));
    expect(statuses[MAX]).toBe(429);
    expect(await countedFor(peer)).toBe(MAX);
    expect(await countedFor("203.0.113.1")).toBeUndefined();
  });

  it("with a trusted proxy, counts the right-most untrusted forwarded address", async () => {
    env.AUTH_TRUSTED_PROXIES = ["10.9.0.0/16"];
    const proxy = "10.9.0.1";
    const client = "203.0.113.50";
    const statuses: number[] = [];
    for (let i = 0; i < MAX + 1; i++) {
      // The client makes up a new left-most entry each time; the proxy appends what it saw.
      const xff = `198.51.100.${i + 1}, ${client}, 10.9.0.2`;
      statuses.push((await signIn(handle.db, nobody(), "wrong-password", proxy, { "x-forwarded-for": xff })).status);
    }
    expect(statuses.slice(0, MAX)).toEqual(Array(MAX).fill(401));
    expect(statuses[MAX]).toBe(429);
    expect(await countedFor(client)).toBe(MAX);
    expect(await countedFor(proxy)).toBeUndefined();
    // Another client behind the same proxy has its own bucket.
    expect(
      (await signIn(handle.db, nobody(), "wrong-password", proxy, { "x-forwarded-for": "203.0.113.51" })).status,
    ).toBe(401);
    expect(await countedFor("203.0.113.51")).toBe(1);
  });

  it("gives callers from different connection addresses their own buckets", async () => {
    const email = await newUser();
    for (let i = 0; i < MAX; i++) await signIn(handle.db, nobody(), "wrong-password", "192.0.2.30");
    expect((await signIn(handle.db, email, PASSWORD, "192.0.2.30")).status).toBe(429);
    expect((await signIn(handle.db, nobody(), "wrong-password", "192.0.2.31")).status).toBe(401);
    const ok = await signIn(handle.db, email, PASSWORD, "192.0.2.32");
    expect(ok.status).toBe(200);
    // The session records the address the limit used.
    const { user } = (await ok.json()) as { user: { id: string } };
    const addresses = await handle.db
      .select({ ip: sessions.ipAddress })
      .from(sessions)
      .where(eq(sessions.userId, user.id));
    expect(addresses.map((a) => a.ip)).toEqual(["192.0.2.32"]);
  });

  it("through the app's route, an address header the client sets itself counts for nothing", async () => {
    const call = (headers: Record<string, string>) =>
      postJson(
        authPOST,
        "/api/auth/sign-in/email",
        { email: nobody(), password: "wrong-password" },
        { token: null, headers: { origin: "http://x", ...headers } },
      );
    const res = await call({ [peerHeader()]: "192.0.2.40", "x-flowscope-client-address": "198.51.100.200" });
    expect(res.status).toBe(401);
    expect(await countedFor("192.0.2.40")).toBe(1);
    expect(await countedFor("198.51.100.200")).toBeUndefined();
  });

  it("requests without the connection's address (the hook did not see them) share one bucket", async () => {
    // Documented fallback: no header a client can send gets such a request its own bucket.
    const statuses: number[] = [];
    for (let i = 0; i < MAX + 1; i++) {
      statuses.push(
        (await signIn(handle.db, nobody(), "wrong-password", "", { "x-forwarded-for": `203.0.113.${100 + i}` })).status,
      );
    }
    expect(statuses[MAX]).toBe(429);
    expect(statuses.filter((s) => s === 401)).toHaveLength(MAX);
  });
});

describe("per-account backoff", () => {
  it("after N wrong passwords answers 429 even for the right one from a new address, until the delay has passed", async () => {
    const email = await newUser();
    // Pinned near the real time: timers some libraries set from Date must stay sane.
    const start = new Date(Math.floor(Date.now() / 1000) * 1000);
    pinClock(vi, start);
    for (let i = 0; i < N; i++) expect((await signIn(handle.db, email, "wrong-password")).status).toBe(401);
    expect(await failureRow(email)).toMatchObject({ failures: N, blockedUntil: new Date(start.getTime() + 1000) });

    const refused = await signIn(handle.db, email, PASSWORD, nextTestAddress());
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(refused.headers.get("x-retry-after")).toBe("1");
    expect(((await refused.json()) as { code: string }).code).toBe("ACCOUNT_SIGN_IN_DELAYED");
    // Refused attempts are not counted: waiting is what ends the delay.
    expect((await failureRow(email))?.failures).toBe(N);

    // One more failure once the delay is over doubles it.
    vi.setSystemTime(new Date(start.getTime() + 1000));
    expect((await signIn(handle.db, email, "wrong-password")).status).toBe(401);
    expect(await failureRow(email)).toMatchObject({ failures: N + 1, blockedUntil: new Date(start.getTime() + 3000) });
    const again = await signIn(handle.db, email, PASSWORD);
    expect(again.status).toBe(429);
    expect(again.headers.get("retry-after")).toBe("2");

    vi.setSystemTime(new Date(start.getTime() + 3000));
    expect((await signIn(handle.db, email, PASSWORD)).status).toBe(200);
    // Success starts the count over.
    expect(await failureRow(email)).toBeUndefined();
    expect((await signIn(handle.db, email, "wrong-password")).status).toBe(401);
    expect(await failureRow(email)).toMatchObject({ failures: 1, blockedUntil: null });
  });

  it("counts the email case-insensitively", async () => {
    const email = await newUser();
    pinClock(vi, new Date());
    for (let i = 0; i < N; i++) await signIn(handle.db, i % 2 ? email.toUpperCase() : email, "wrong-password");
    expect((await failureRow(email))?.failures).toBe(N);
    expect((await signIn(handle.db, email.toUpperCase(), PASSWORD)).status).toBe(429);
  });

  it("lets no more than N guesses through when they arrive all at once", async () => {
    const email = await newUser();
    pinClock(vi, new Date());
    const statuses = await Promise.all(
      Array.from({ length: 2 * N }, () => signIn(handle.db, email, "wrong-password").then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 401)).toHaveLength(N);
    expect(statuses.filter((s) => s === 429)).toHaveLength(N);
    expect((await failureRow(email))?.failures).toBe(N);
  });

  it("grows 1, 2, 4, ... seconds and stops at the cap", () => {
    const s = { failuresBeforeDelay: 5, maxDelaySeconds: 900 };
    expect([4, 5, 6, 7, 14, 15, 40].map((f) => accountDelaySeconds(f, s))).toEqual([0, 1, 2, 4, 512, 900, 900]);
  });
});
