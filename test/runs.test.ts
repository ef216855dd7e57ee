import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { eq, inArray } from "drizzle-orm";
import type { DatabaseHandle } from "@/lib/db/database";
import { clients, syncRuns } from "@/lib/db/schema";
import { failExpiredRuns, failInterruptedRuns, queueRun, recordRun, RUN_LEASE_MS } from "@/lib/runs/record";
import { QUEUED_RUN_TIMEOUT_MS, startHeartbeat } from "@/lib/runs/lease";
import { describeError, DETAIL_MAX, MESSAGE_MAX } from "@/lib/core/describe-error";
import { withClientLock } from "@/lib/runs/client-lock";
import { getRunView } from "@/lib/metrics/status/run-view";
import { N8nError } from "@/lib/n8n";
import { createTestDatabase } from "./helpers/db";
import { createClient } from "./helpers/factories";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(() => handle.close());

const runRow = async (id: number) => (await handle.db.select().from(syncRuns).where(eq(syncRuns.id, id)))[0];

/** A run row as a process that died left it: running, last heard of `msAgo` ago. */
async function abandonedRun(clientId: number, msAgo: number, values: Partial<typeof syncRuns.$inferInsert> = {}) {
  const at = new Date(Date.now() - msAgo);
  const [row] = await handle.db
    .insert(syncRuns)
    .values({
      function: "sync-client",
      trigger: "manual",
      clientId,
      status: "running",
      startedAt: at,
      heartbeatAt: at,
      ...values,
    })
    .returning({ id: syncRuns.id });
  return row.id;
}

const INTERRUPTED = /^Interrupted: the process running it stopped \(no heartbeat since \d\d:\d\d:\d\d UTC\)$/;

describe("runs", () => {
  it("a queued run is filled in by its job; runs queued by a stopped server are failed at start, running ones go by their lease", async () => {
    const { db } = handle;
    const client = await createClient(db);
    const queued = await queueRun(db, { function: "sync-client", trigger: "manual", clientId: client.id });
    const done = await recordRun(
      db,
      { function: "sync-client", trigger: "manual", clientId: client.id, runId: queued },
      async () => ({ executionsNew: 3 }),
    );
    expect(done.runId).toBe(queued);

    const orphan = await queueRun(db, { function: "reclassify", trigger: "manual", clientId: client.id });
    const cli = await queueRun(db, { function: "sync-client", trigger: "cli", clientId: client.id });
    // Running with a live heartbeat, maybe in another process: not the start's business.
    const running = await abandonedRun(client.id, 0, { trigger: "cron" });
    expect(await failInterruptedRuns(db, new Date(Date.now() + 1_000))).toBe(1);

    const byId = new Map(
      (await db.select().from(syncRuns).where(eq(syncRuns.clientId, client.id))).map((r) => [r.id, r]),
    );
    expect(byId.get(queued)).toMatchObject({ status: "success", executionsNew: 3, error: null, errorDetail: null });
    expect(byId.get(queued)?.heartbeatAt).not.toBeNull();
    expect(byId.get(orphan)).toMatchObject({
      status: "error",
      error: "Interrupted: the server stopped before this run started",
    });
    expect(byId.get(orphan)?.finishedAt).not.toBeNull();
    expect(byId.get(cli)?.status).toBe("queued");
    expect(byId.get(running)?.status).toBe("running");
  });

  it("a retried run starts clean: no finish time, error or counts from the failed attempt", async () => {
    const { db } = handle;
    const client = await createClient(db);
    const runId = await queueRun(db, { function: "sync-client", trigger: "event", clientId: client.id });
    await expect(
      recordRun(db, { function: "sync-client", trigger: "event", clientId: client.id, runId }, async ({ progress }) => {
        progress.pages = 2;
        throw new Error("n8n answered 502");
      }),
    ).rejects.toThrow("n8n answered 502");
    let seen: typeof syncRuns.$inferSelect | undefined;
    await recordRun(db, { function: "sync-client", trigger: "event", clientId: client.id, runId }, async () => {
      seen = await runRow(runId);
      return {};
    });
    expect(seen).toMatchObject({ status: "running", finishedAt: null, error: null, errorDetail: null, pages: 0 });
  });

  it("records what a failed job had done: its counts, phases and details, with the error", async () => {
    const client = await createClient(handle.db);
    let runId = 0;
    const failure = new N8nError(
      "server_error",
      "n8n at http://n8n.test failed on /executions with HTTP 502 after 3 attempts. The next sync will try again.",
    );
    await expect(
      recordRun(handle.db, { function: "sync-client", trigger: "manual", clientId: client.id }, async (ctx) => {
        runId = ctx.runId;
        Object.assign(ctx.progress, {
          pages: 4,
          executionsSeen: 1000,
          executionsNew: 990,
          phaseMs: { fetch: 1200, store: 300 },
          details: { note: "page\u0000 5 failed" },
        });
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await runRow(runId)).toMatchObject({
      status: "error",
      error: failure.message,
      errorDetail: null,
      pages: 4,
      executionsSeen: 1000,
      executionsNew: 990,
      phaseMs: { fetch: 1200, store: 300 },
      // PostgreSQL refuses NUL in jsonb strings; it is dropped, not the run record.
      details: { note: "page 5 failed" },
    });
  });

  it("stores a database error as one sentence with its cause; the statement, never its parameters, goes to the capped detail", async () => {
    const client = await createClient(handle.db);
    // Like a page of executions: a long statement with a large parameter.
    const bulky = `secret-${"x".repeat(40_000)}`;
    let runId = 0;
    const err = await recordRun(
      handle.db,
      { function: "sync-client", trigger: "manual", clientId: client.id },
      async (ctx) => {
        runId = ctx.runId;
        await handle.db
          .insert(clients)
          .values({ name: bulky, slug: client.slug, n8nBaseUrl: "http://x.test", n8nApiKey: bulky });
        return {};
      },
    ).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    const run = await runRow(runId);
    expect(run.status).toBe("error");
    expect(run.error).toMatch(
      /^Database error while inserting into clients: duplicate key value violates unique constraint "clients_slug_unique" \(SQLSTATE 23505\)\.$/,
    );
    expect(run.error?.length).toBeLessThanOrEqual(MESSAGE_MAX);
    expect(run.errorDetail).toContain('SQL: insert into "clients"');
    expect(run.errorDetail).toMatch(/\(\d+ parameters, not recorded\)/);
    expect(run.errorDetail).not.toContain("secret-");
    expect(run.errorDetail?.length).toBeLessThanOrEqual(DETAIL_MAX);
  });

  it("describes any error in one readable line, without NUL bytes", () => {
    expect(describeError(new Error("bad\u0000 byte"))).toMatchObject({ message: "bad byte" });
    expect(describeError(new Error("outer", { cause: new Error("inner reason\nsecond line") })).message).toBe(
      "outer (cause: inner reason)",
    );
    expect(describeError("plain").message).toBe("plain");
    expect(describeError(new Error("y".repeat(5000))).message).toHaveLength(MESSAGE_MAX);
    // postgres.js when the server terminated the connection (a restart, pg_terminate_backend).
    const terminated = Object.assign(new Error("terminating connection due to administrator command"), {
      name: "PostgresError",
      code: "57P01",
      severity: "FATAL",
    });
    expect(describeError(terminated).message).toBe(
      "Database error: terminating connection due to administrator command (SQLSTATE 57P01).",
    );
    const closed = Object.assign(new Error("write CONNECTION_CLOSED 127.0.0.1:5432"), { code: "CONNECTION_CLOSED" });
    expect(describeError(closed).message).toBe(
      "Database error: write CONNECTION_CLOSED 127.0.0.1:5432 (CONNECTION_CLOSED).",
    );
  });
});

describe("run lease", () => {
  it("fails running runs whose heartbeat is older than the lease, CLI runs and rows without a heartbeat included", async () => {
    const client = await createClient(handle.db);
    const stale = await abandonedRun(client.id, RUN_LEASE_MS + 5_000);
    const cli = await abandonedRun(client.id, RUN_LEASE_MS + 5_000, { trigger: "cli" });
    const beforeLease = await abandonedRun(client.id, RUN_LEASE_MS + 5_000, { heartbeatAt: null });
    const alive = await abandonedRun(client.id, 1_000);
    const queued = await queueRun(handle.db, { function: "sync-client", trigger: "manual", clientId: client.id });

    expect(await failExpiredRuns(handle.db)).toBeGreaterThanOrEqual(3);
    const rows = await handle.db
      .select()
      .from(syncRuns)
      .where(inArray(syncRuns.id, [stale, cli, beforeLease, alive, queued]));
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const id of [stale, cli, beforeLease]) {
      expect(byId.get(id)?.status).toBe("error");
      expect(byId.get(id)?.error).toMatch(INTERRUPTED);
      expect(byId.get(id)?.finishedAt).not.toBeNull();
    }
    expect(byId.get(alive)?.status).toBe("running");
    expect(byId.get(queued)?.status).toBe("queued");

    // Later, the live one's lease runs out too.
    expect(await failExpiredRuns(handle.db, new Date(Date.now() + RUN_LEASE_MS), { runId: alive })).toBe(1);
    // A queued run that nothing picks up within an hour says so instead of waiting forever.
    expect(
      await failExpiredRuns(handle.db, new Date(Date.now() + QUEUED_RUN_TIMEOUT_MS + 60_000), { runId: queued }),
    ).toBe(1);
    const [never] = await handle.db.select().from(syncRuns).where(eq(syncRuns.id, queued));
    expect(never).toMatchObject({
      status: "error",
      error: expect.stringMatching(/^Never started: queued at \d\d:\d\d UTC/),
    });
  });

  it("the next run, and a status poll, fail a run whose process died", async () => {
    const client = await createClient(handle.db);
    const dead = await abandonedRun(client.id, RUN_LEASE_MS + 1_000);
    await recordRun(handle.db, { function: "rollup", trigger: "cron" }, async () => ({}));
    expect((await runRow(dead)).status).toBe("error");

    const polled = await abandonedRun(client.id, RUN_LEASE_MS + 1_000);
    const view = await getRunView(handle.db, polled);
    expect(view).toMatchObject({ id: polled, status: "error" });
    expect(view.error).toMatch(INTERRUPTED);
  });

  it("beats while the job runs, saving its progress; a failed beat is logged, never thrown", async () => {
    const client = await createClient(handle.db);
    const runId = await abandonedRun(client.id, 60_000);
    const progress = { pages: 1 };
    const beat = startHeartbeat(handle.db, runId, () => ({ pages: progress.pages }), 10);
    await vi.waitFor(async () =>
      expect((await runRow(runId)).heartbeatAt?.getTime()).toBeGreaterThan(Date.now() - 5_000),
    );
    progress.pages = 7;
    await vi.waitFor(async () => expect((await runRow(runId)).pages).toBe(7));
    beat.stop();

    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      // A value the column refuses makes every beat fail.
      const broken = startHeartbeat(handle.db, runId, () => ({ pages: "many" as unknown as number }), 10);
      await vi.waitFor(() => expect(warn).toHaveBeenCalled());
      broken.stop();
      expect(String(warn.mock.calls[0][0])).toMatch(
        new RegExp(`^\\[runs\\] heartbeat of run ${runId} failed: Database error while updating sync_runs`),
      );
    } finally {
      warn.mockRestore();
    }
    expect((await runRow(runId)).status).toBe("running");
  });

  it("names the last heartbeat in UTC", async () => {
    const client = await createClient(handle.db);
    const at = new Date("2025-01-02T03:04:05Z");
    const id = await abandonedRun(client.id, 0, { startedAt: at, heartbeatAt: at });
    await failExpiredRuns(handle.db, new Date(), { runId: id });
    expect((await runRow(id)).error).toBe(
      "Interrupted: the process running it stopped (no heartbeat since 03:04:05 UTC)",
    );
  });
});

describe("withClientLock", () => {
  it("runs one job per client at a time, in order, and other clients alongside", async () => {
    const events: string[] = [];
    const job = (name: string, ms: number) => async () => {
      events.push(`${name} start`);
      await new Promise((r) => setTimeout(r, ms));
      events.push(`${name} end`);
      return name;
    };
    const failing = withClientLock(1, async () => {
      events.push("a0 fails");
      throw new Error("boom");
    });
    const results = await Promise.all([
      withClientLock(1, job("a1", 30)),
      withClientLock(1, job("a2", 1)),
      withClientLock(2, job("b1", 5)),
    ]);
    await expect(failing).rejects.toThrow("boom");
    expect(results).toEqual(["a1", "a2", "b1"]);
    // a2 waits for a1 (and a1 for the failed a0); b1 does not wait for client 1.
    expect(events.indexOf("a2 start")).toBeGreaterThan(events.indexOf("a1 end"));
    expect(events.indexOf("b1 start")).toBeLessThan(events.indexOf("a1 end"));
    expect(events[0]).toBe("a0 fails");
  });

  it("holds across two loads of its module, as Next bundles it for the scheduler and the routes", async () => {
    vi.resetModules();
    const second = await import("@/lib/runs/client-lock");
    expect(second.withClientLock).not.toBe(withClientLock);
    const events: string[] = [];
    const first = withClientLock(3, async () => {
      events.push("cron start");
      await new Promise((r) => setTimeout(r, 30));
      events.push("cron end");
    });
    const click = second.withClientLock(3, async () => {
      events.push("click start");
    });
    await Promise.all([first, click]);
    expect(events).toEqual(["cron start", "cron end", "click start"]);
  });
});
