import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { DatabaseHandle } from "@/lib/db/client";
import { syncRuns } from "@/lib/db/schema";
import { failInterruptedRuns, queueRun, recordRun } from "@/lib/runs/record";
import { withClientLock } from "@/lib/runs/client-lock";
import { createTestDatabase } from "./helpers/db";
import { createClient } from "./helpers/factories";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(() => handle.close());

describe("runs", () => {
  it("a queued run is filled in by its job; runs a stopped server left behind are failed at start, CLI runs are not", async () => {
    const { db } = handle;
    const client = await createClient(db);
    const queued = await queueRun(db, { function: "sync-client", trigger: "manual", clientId: client.id });
    const done = await recordRun(db, { function: "sync-client", trigger: "manual", clientId: client.id, runId: queued }, async () => ({ executionsNew: 3 }));
    expect(done.runId).toBe(queued);

    const orphan = await queueRun(db, { function: "reclassify", trigger: "manual", clientId: client.id });
    const cli = await queueRun(db, { function: "sync-client", trigger: "cli", clientId: client.id });
    expect(await failInterruptedRuns(db, new Date(Date.now() + 1_000))).toBe(1);

    const byId = new Map((await db.select().from(syncRuns).where(eq(syncRuns.clientId, client.id))).map((r) => [r.id, r]));
    expect(byId.get(queued)).toMatchObject({ status: "success", executionsNew: 3, error: null });
    expect(byId.get(orphan)).toMatchObject({ status: "error", error: "Interrupted: the server stopped before this run finished" });
    expect(byId.get(orphan)?.finishedAt).not.toBeNull();
    expect(byId.get(cli)?.status).toBe("queued");
  });

  it("a retried run starts clean: no finish time or error from the failed attempt", async () => {
    const { db } = handle;
    const client = await createClient(db);
    const runId = await queueRun(db, { function: "sync-client", trigger: "event", clientId: client.id });
    await expect(recordRun(db, { function: "sync-client", trigger: "event", clientId: client.id, runId }, async () => {
      throw new Error("n8n answered 502");
    })).rejects.toThrow("n8n answered 502");
    let seen: { status: string; finishedAt: Date | null; error: string | null } | undefined;
    await recordRun(db, { function: "sync-client", trigger: "event", clientId: client.id, runId }, async () => {
      [seen] = await db.select().from(syncRuns).where(eq(syncRuns.id, runId));
      return {};
    });
    expect(seen).toMatchObject({ status: "running", finishedAt: null, error: null });
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
});
