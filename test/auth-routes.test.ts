/**
 * Authorization, table-driven: every route handler in the app, found on the file system
 * (so a new route cannot be forgotten), must be bound to a contract (lib/api/contracts)
 * and every contract to a route. Each is called with its contract's example as
 * signed-out, as a client user of client A asking for client B, as an operator and as an
 * admin; the expected answer of each follows from the access its contract declares.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/lib/db/database";
import { CONTRACTS } from "@/lib/api/contracts";
import type { Contract } from "@/lib/api/contract";
import { createApiToken } from "@/lib/accounts/tokens";
import { createUser } from "@/lib/accounts/users";
import { queueRun } from "@/lib/runs/record";
import { env } from "@/lib/core/env";
import { inngestEndpointRefusal } from "@/inngest/endpoint";
import { createTestDatabase } from "./helpers/db";
import { alerts } from "@/lib/db/schema";
import { AlertRuleInput } from "@/lib/alerts/rules";
import { createRule } from "@/lib/alerts/rule-store";
import { createChannel } from "@/lib/alerts/channels";
import { createSilence } from "@/lib/alerts/silences";
import { insertMetricPoints } from "@/lib/telemetry/store";
import { callRoute, postJson, qs, useAsAppDatabase } from "./helpers/app-db";
import { signedInUser, type SignedIn } from "./helpers/auth";
import { createClient } from "./helpers/factories";

type RouteFn = Parameters<typeof callRoute>[0];
type Caller = "anonymous" | "clientUserOfA" | "operator" | "admin";
const CALLERS: Caller[] = ["anonymous", "clientUserOfA", "operator", "admin"];

/** Routes outside /api/v1 that have no contract; each is tested on its own below. */
const SPECIAL_ROUTES = new Set(["/api/auth/[...all]", "/api/inngest"]);

/** Every app/**\/route.ts with the HTTP methods it exports, as "/api/v1/clients/[id]/historical". */
function routeFiles(dir = path.join(process.cwd(), "app"), prefix = ""): Array<{ route: string; file: string }> {
  const out: Array<{ route: string; file: string }> = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isFile() && entry.name === "route.ts") out.push({ route: prefix || "/", file: full });
    // Route groups "(name)" do not appear in URLs.
    if (entry.isDirectory())
      out.push(...routeFiles(full, /^\(.+\)$/.test(entry.name) ? prefix : `${prefix}/${entry.name}`));
  }
  return out;
}

const toDocPath = (route: string) => route.replace(/\[([^\]]+)\]/g, "{$1}");

/** What the declared access means for each caller: the status, or "ok" for any 2xx. */
function expected(doc: Contract, caller: Caller): number | "ok" {
  if (doc.access === "public") return "ok";
  if (caller === "anonymous") return 401;
  if (caller === "admin") return "ok";
  switch (doc.access) {
    case "viewer":
      return caller === "clientUserOfA" && doc.client ? 404 : "ok";
    case "operator":
      return caller === "clientUserOfA" ? 403 : "ok";
    case "admin":
    case "ingest":
    case "system":
      return 403;
  }
}

/** The tables call every route as four callers: they grow with the API, past one test's default time. */
const WHOLE_TABLE_MS = 120_000;

const ERROR_CODE: Record<number, string> = { 401: "unauthorized", 403: "forbidden", 404: "not_found" };

let handle: DatabaseHandle;
let clientA: Awaited<ReturnType<typeof createClient>>;
let clientB: Awaited<ReturnType<typeof createClient>>;
let sessions: Record<Exclude<Caller, "anonymous">, SignedIn>;
/** Every response body seen, for the scan for stored n8n API keys. */
const bodies: string[] = [];
let modules: Array<{ route: string; methods: Record<string, RouteFn> }>;

beforeAll(async () => {
  handle = await createTestDatabase();
  useAsAppDatabase(handle);
  clientA = await createClient(handle.db, { n8nApiKey: "n8n-key-of-client-a-7f3c" });
  clientB = await createClient(handle.db, { n8nApiKey: "n8n-key-of-client-b-9d2e" });
  sessions = {
    clientUserOfA: await signedInUser(handle.db, "client", clientA.id),
    operator: await signedInUser(handle.db, "operator"),
    admin: await signedInUser(handle.db, "admin"),
  };
  modules = await Promise.all(
    routeFiles().map(async ({ route, file }) => {
      const mod = (await import(file)) as Record<string, unknown>;
      const methods = Object.fromEntries(
        Object.entries(mod).filter(
          ([name, value]) => /^(GET|POST|PUT|PATCH|DELETE)$/.test(name) && typeof value === "function",
        ),
      ) as Record<string, RouteFn>;
      return { route, methods };
    }),
  );
});
afterAll(() => handle.close());

/** Fills the example's placeholders with rows made for this one call. */
async function fill(value: string, ownClient: boolean): Promise<string> {
  switch (value) {
    case ":client":
      return String(ownClient ? clientA.id : clientB.id);
    case ":user": {
      const user = await createUser(handle.db, {
        email: `throwaway-${crypto.randomUUID()}@example.test`,
        password: "password-1234",
        role: "operator",
      });
      return user.id;
    }
    case ":token":
      return String((await createApiToken(handle.db, { name: "throwaway" }, null)).apiToken.id);
    case ":now":
      return new Date().toISOString();
    case ":rule":
      return String((await exampleRule()).id);
    case ":channel":
      return String(
        (await createChannel(handle.db, { name: "throwaway", kind: "email", to: ["ops@example.test"] })).channel.id,
      );
    case ":silence":
      return String(
        (
          await createSilence(
            handle.db,
            { clientId: clientA.id, ruleId: null, labels: {}, endsAt: new Date(Date.now() + 3_600_000), comment: "" },
            null,
          )
        ).id,
      );
    case ":alert": {
      // On client A: every caller may see it (client users their own client's alerts).
      const rule = await exampleRule();
      const now = new Date();
      const [alert] = await handle.db
        .insert(alerts)
        .values({
          ruleId: rule.id,
          clientId: clientA.id,
          subject: `client:${clientA.id}`,
          state: "firing",
          summary: "Example",
          startedAt: now,
          firedAt: now,
          lastEvaluatedAt: now,
        })
        .returning({ id: alerts.id });
      return String(alert!.id);
    }
    case ":metric": {
      const [id] = await insertMetricPoints(handle.db, [
        { type: "custom", name: "throwaway", value: 1, service: "external", labels: {} },
      ]);
      return String(id);
    }
    case ":run":
      return String(
        await queueRun(handle.db, {
          function: "sync-client",
          trigger: "manual",
          clientId: ownClient ? clientA.id : clientB.id,
        }),
      );
    default:
      return value;
  }
}

function exampleRule() {
  return createRule(
    handle.db,
    AlertRuleInput.parse({ name: "Throwaway rule", params: { kind: "failures", count: 5, windowMinutes: 60 } }),
    null,
  );
}

async function fillAll(
  record: Record<string, string> | undefined,
  ownClient: boolean,
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(record ?? {})) out[key] = await fill(value, ownClient);
  return out;
}

async function fillBody(body: unknown, ownClient: boolean): Promise<unknown> {
  if (typeof body === "string") return fill(body, ownClient);
  if (Array.isArray(body)) return Promise.all(body.map((b) => fillBody(b, ownClient)));
  if (body && typeof body === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(body)) out[key] = await fillBody(value, ownClient);
    // Ids in JSON bodies are numbers.
    for (const key of ["clientId"])
      if (typeof out[key] === "string" && /^\d+$/.test(out[key] as string)) out[key] = Number(out[key]);
    return out;
  }
  return body;
}

interface CallVariant {
  /** Replaces the example's (filled) body. */
  body?: (filled: unknown) => string;
  headers?: Record<string, string>;
  /** Extra query parameters. */
  query?: Record<string, string>;
  /** null: no Origin header at all. */
  origin?: string | null;
}

async function call(fn: RouteFn, doc: Contract, caller: Caller, ownClient = false, variant: CallVariant = {}) {
  const example = doc.example ?? {};
  const pathParams = await fillAll(example.pathParams, ownClient);
  const query = { ...(await fillAll(example.query, ownClient)), ...variant.query };
  const url =
    doc.path.replace(/\{(\w+)\}/g, (_, name: string) => pathParams[name]) +
    (Object.keys(query).length ? `?${qs(query)}` : "");
  const method = doc.method;
  const filled = example.body === undefined ? undefined : await fillBody(example.body, ownClient);
  const body = variant.body ? variant.body(filled) : filled === undefined ? undefined : JSON.stringify(filled);
  const res = await callRoute(fn, url, pathParams, {
    method,
    body,
    token: null,
    origin: variant.origin,
    headers: {
      ...(caller === "anonymous" ? {} : { cookie: sessions[caller].cookie }),
      ...(body ? { "content-type": "application/json" } : {}),
      ...variant.headers,
    },
  });
  const text = await res.text();
  bodies.push(text);
  return {
    status: res.status,
    text,
    json: text && res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : null,
  };
}

describe("every route handler", () => {
  it("is bound to a contract with its own path and method, and every contract to a route", () => {
    expect(modules.length).toBeGreaterThan(15);
    const problems: string[] = [];
    const served = new Set<Contract>();
    for (const { route, methods } of modules) {
      if (SPECIAL_ROUTES.has(route)) continue;
      for (const [method, fn] of Object.entries(methods)) {
        const contract = contractOf(fn);
        if (!contract) problems.push(`${method} ${route}: not bound to a contract (apiRoute or bindContract)`);
        else if (contract.path !== toDocPath(route) || contract.method !== method)
          problems.push(`${method} ${route}: bound to ${contract.method} ${contract.path}`);
        else if (!CONTRACTS.includes(contract)) problems.push(`${method} ${route}: contract missing from the registry`);
        else served.add(contract);
      }
    }
    for (const contract of CONTRACTS)
      if (!served.has(contract)) problems.push(`${contract.method} ${contract.path}: no route serves it`);
    expect(problems).toEqual([]);
  });

  it("declares the client scope of every viewer route that names a client, so the matrix below expects the 404", () => {
    const fields = (schema: unknown) => Object.keys((schema as { shape?: object } | undefined)?.shape ?? {});
    const unscoped = CONTRACTS.filter(
      (c) =>
        c.access === "viewer" &&
        ((fields(c.query).includes("clientId") && c.client !== "query") ||
          (fields(c.pathParams).includes("id") && c.client !== "path")),
    ).map((c) => `${c.method} ${c.path}`);
    expect(unscoped).toEqual([]);
    expect(CONTRACTS.filter((c) => c.client).length).toBeGreaterThan(15);
  });

  it(
    "answers each caller as its declared access says: 401 signed out, 404 for another client's data, 403 for a low role",
    async () => {
      const failures: string[] = [];
      let checked = 0;
      for (const { method, fn, doc } of boundRoutes()) {
        for (const caller of CALLERS) {
          const want = expected(doc, caller);
          const got = await call(fn, doc, caller);
          checked++;
          const ok = want === "ok" ? got.status >= 200 && got.status < 300 : got.status === want;
          const codeOk = want === "ok" || got.json?.error?.code === ERROR_CODE[want];
          if (!ok || !codeOk)
            failures.push(
              `${method} ${doc.path} as ${caller}: expected ${want}, got ${got.status} ${got.text.slice(0, 160)}`,
            );
          // What the document promises is what the route answers.
          if (ok && want === "ok" && doc.response && got.json) {
            const parsed = doc.response.schema.safeParse(got.json);
            if (!parsed.success)
              failures.push(
                `${method} ${doc.path}: answer does not match ${doc.response.name}: ${parsed.error.message}`,
              );
          }
        }
        // The client user reads its own client where the route is about one client.
        if (doc.access === "viewer" && doc.client) {
          const own = await call(fn, doc, "clientUserOfA", true);
          checked++;
          if (own.status !== 200)
            failures.push(
              `${method} ${doc.path} as client user of A for A: expected 200, got ${own.status} ${own.text.slice(0, 160)}`,
            );
        }
      }
      expect(failures).toEqual([]);
      expect(checked).toBeGreaterThan(80);
    },
    WHOLE_TABLE_MS,
  );

  it("never answers with a stored n8n API key, in plain text or encrypted", () => {
    expect(bodies.length).toBeGreaterThan(80);
    const all = bodies.join("\n");
    for (const client of [clientA, clientB]) {
      expect(all).not.toContain(client.plainApiKey);
      expect(all).not.toContain(client.n8nApiKey);
    }
  });
});

/** The contract a route handler is bound to (apiRoute and bindContract attach it). */
function contractOf(fn: RouteFn): Contract | undefined {
  return (fn as RouteFn & { contract?: Contract }).contract;
}

/** Every route handler bound to a contract, with it, for the tables below. */
function boundRoutes(): Array<{ method: string; fn: RouteFn; doc: Contract }> {
  return modules.flatMap(({ route, methods }) =>
    SPECIAL_ROUTES.has(route)
      ? []
      : Object.entries(methods).flatMap(([method, fn]) => {
          const doc = contractOf(fn);
          return doc ? [{ method, fn, doc }] : [];
        }),
  );
}

/** Paths of every string in a JSON value, as ["rules", "excludePatterns", 0]. */
function stringPaths(value: unknown, path: Array<string | number> = []): Array<Array<string | number>> {
  if (typeof value === "string") return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringPaths(v, [...path, i]));
  if (value && typeof value === "object")
    return Object.entries(value).flatMap(([k, v]) => stringPaths(v, [...path, k]));
  return [];
}

function withStringAt(value: unknown, path: Array<string | number>, text: string): unknown {
  if (path.length === 0) return text;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  copy[path[0]] = withStringAt(copy[path[0]], path.slice(1), text);
  return copy;
}

describe("hostile requests to every route", () => {
  it(
    "a state-changing call with the admin's cookie from another origin, or without an Origin, is 403",
    async () => {
      const failures: string[] = [];
      let checked = 0;
      for (const { method, fn, doc } of boundRoutes()) {
        if (method === "GET") continue;
        const variants: CallVariant[] = [
          { origin: "http://evil.example" },
          { origin: "http://x:3001" },
          { origin: "null" },
          { origin: null, headers: { "sec-fetch-site": "same-site" } },
          { origin: null },
        ];
        for (const variant of variants) {
          const got = await call(fn, doc, "admin", false, variant);
          checked++;
          if (got.status !== 403 || got.json?.error?.code !== "forbidden")
            failures.push(`${method} ${doc.path} ${JSON.stringify(variant)}: ${got.status} ${got.text.slice(0, 120)}`);
        }
      }
      expect(failures).toEqual([]);
      expect(checked).toBeGreaterThan(40);
    },
    WHOLE_TABLE_MS,
  );

  it("a body that is not JSON is 415, a NUL in any text field a 400 naming it, an oversized body a 413", async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const { method, fn, doc } of boundRoutes()) {
      if (!doc.body || doc.example?.body === undefined) continue;
      const plain = await call(fn, doc, "admin", false, { headers: { "content-type": "text/plain" } });
      if (plain.status !== 415)
        failures.push(`${method} ${doc.path} text/plain: ${plain.status} ${plain.text.slice(0, 120)}`);
      const filled = await fillBody(doc.example.body, false);
      const paths = stringPaths(filled);
      // A route whose example has no text still gets one, in a field of its own.
      for (const path of paths.length > 0 ? paths : [["note"]]) {
        const got = await call(fn, doc, "admin", false, {
          body: (f) => JSON.stringify(withStringAt(f, path, "a\u0000b")),
        });
        checked++;
        const field = path.join(".");
        // A batch refuses the one item, naming the field inside it, and stores the rest.
        const batchItem = doc.perItem === path[0] && typeof path[1] === "number";
        const ok = batchItem
          ? got.status === 200 &&
            got.json?.rejected === 1 &&
            got.json?.errors?.[0]?.index === path[1] &&
            String(got.json?.errors?.[0]?.message).startsWith(`${path.slice(2).join(".")}: `)
          : got.status === 400 && String(got.json?.error?.message).startsWith(`${field}: `);
        if (!ok) failures.push(`${method} ${doc.path} NUL at ${field}: ${got.status} ${got.text.slice(0, 160)}`);
      }
      const huge = await call(fn, doc, "admin", false, {
        body: (f) => JSON.stringify({ ...(f as object), padding: "x".repeat(3 * 1024 * 1024) }),
      });
      checked++;
      if (huge.status !== 413 || huge.json?.error?.code !== "payload_too_large")
        failures.push(`${method} ${doc.path} 3 MiB: ${huge.status} ${huge.text.slice(0, 120)}`);
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(15);
  });

  it("a NUL in a query parameter or a path id is a 400, never a failed query", async () => {
    const failures: string[] = [];
    for (const { method, fn, doc } of boundRoutes()) {
      // health is not an apiRoute handler and reads no parameters.
      if (doc.path === "/api/v1/health") continue;
      const viaQuery = await call(fn, doc, "admin", false, { query: { probe: "1\u0000" } });
      if (viaQuery.status !== 400 || !String(viaQuery.json?.error?.message).startsWith("probe: "))
        failures.push(`${method} ${doc.path} ?probe: ${viaQuery.status} ${viaQuery.text.slice(0, 120)}`);
    }
    const users = boundRoutes().find((r) => r.method === "DELETE" && r.doc.path === "/api/v1/admin/users/{id}")!;
    const res = await callRoute(
      users.fn,
      "/api/v1/admin/users/1%00",
      { id: "1\u0000" },
      { method: "DELETE", token: null, headers: { cookie: sessions.admin.cookie } },
    );
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(/^id: /);
    expect(failures).toEqual([]);
  });
});

describe("routes outside /api/v1", () => {
  it("better-auth: a wrong password is 401, and sign-up is closed", async () => {
    const auth = modules.find((m) => m.route === "/api/auth/[...all]")!;
    const post = (p: string, body: unknown) =>
      postJson(auth.methods.POST, `/api/auth/${p}`, body, {
        token: null,
        headers: { origin: "http://x", "x-forwarded-for": "10.9.9.9" },
      });
    expect((await post("sign-in/email", { email: sessions.admin.email, password: "wrong-password" })).status).toBe(401);
    const signUp = await post("sign-up/email", { email: "new@example.test", password: "password-1234", name: "New" });
    expect(signUp.status).toBeGreaterThanOrEqual(400);
    expect(signUp.status).toBeLessThan(500);
  });

  const callInngest = (method: "GET" | "POST") => {
    const inngest = modules.find((m) => m.route === "/api/inngest")!;
    return callRoute(
      inngest.methods[method],
      "/api/inngest?fnId=flowscope-collect&stepId=step",
      {},
      {
        method,
        token: null,
        headers: { "content-type": "application/json" },
        body: method === "POST" ? JSON.stringify({ event: {}, events: [], steps: {}, ctx: {} }) : undefined,
      },
    );
  };

  it("/api/inngest is a 404 where Inngest is not configured (the in-process scheduler runs the jobs)", async () => {
    for (const method of ["GET", "POST"] as const) {
      const res = await callInngest(method);
      expect(res.status, method).toBe(404);
      expect((await res.json()).error.code).toBe("not_found");
    }
  });

  it("/api/inngest: 401 in production without a signing key, instead of the SDK's 500", () => {
    const refusal = inngestEndpointRefusal({ dev: false, eventKey: true, signingKey: false, production: true });
    expect(refusal?.status).toBe(401);
    expect(inngestEndpointRefusal({ dev: true, eventKey: false, signingKey: false, production: true })).toBeNull();
    expect(inngestEndpointRefusal({ dev: false, eventKey: true, signingKey: true, production: true })).toBeNull();
  });

  it("/api/inngest refuses unsigned calls when a signing key is set (production)", async () => {
    // The SDK reads process.env at call time; the route's gate reads the parsed settings.
    const previous = process.env.INNGEST_SIGNING_KEY;
    const key = `signkey-prod-${"ab".repeat(32)}`;
    process.env.INNGEST_SIGNING_KEY = key;
    env.INNGEST_SIGNING_KEY = key;
    try {
      for (const method of ["GET", "POST"] as const) expect((await callInngest(method)).status, method).toBe(401);
    } finally {
      env.INNGEST_SIGNING_KEY = previous;
      if (previous === undefined) delete process.env.INNGEST_SIGNING_KEY;
      else process.env.INNGEST_SIGNING_KEY = previous;
    }
  });
});
