/**
 * Jobs started by requests when Inngest runs them: they leave through the sender that
 * inngest/sender.ts implements (lib/jobs/dispatch.ts's port). Inngest is configured for
 * this file (INNGEST_DEV, set before any module reads the environment); the sender is
 * this file's own transport, which keeps what it is handed or refuses it.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "@/lib/db/database";
import { clients, syncRuns } from "@/lib/db/schema";
import {
  dispatchReclassify,
  dispatchRetention,
  dispatchRollup,
  dispatchSyncAll,
  registerJobSender,
  type JobSender,
} from "@/lib/jobs/dispatch";
import { saveRules } from "@/lib/jobs/save-rules";
import { POST as syncClientPost } from "@/app/api/v1/tasks/sync-client/[id]/route";
import { createTestDatabase } from "./helpers/db";
import { callRoute, useAsAppDatabase } from "./helpers/app-db";
import { createClient } from "./helpers/factories";
import { signedInUser, type SignedIn } from "./helpers/auth";

vi.hoisted(() => {
  process.env.INNGEST_DEV = "1";
});

type Job = { kind: "sync" | "reclassify" | "rollup" | "retention"; clientId?: number; runId: number };

/** A transport that keeps the jobs, or refuses every one with `refusal`. */
function transport(refusal?: string): JobSender & { jobs: Job[] } {
  const jobs: Job[] = [];
  const take = async (kind: Job["kind"], runs: ReadonlyArray<{ clientId?: number; runId: number }>) => {
    if (refusal) throw new Error(refusal);
    jobs.push(...runs.map((r) => ({ kind, ...r })));
  };
  return {
    jobs,
    sendSyncs: (runs) => take("sync", runs),
    sendReclassify: (run) => take("reclassify", [run]),
    sendRollup: (run) => take("rollup", [run]),
    sendRetention: (run) => take("retention", [run]),
  };
}

let handle: DatabaseHandle;
let admin: SignedIn;
beforeAll(async () => {
  handle = await createTestDatabase();
  useAsAppDatabase(handle);
  admin = await signedInUser(handle.db, "admin");
});

/** Sync now, as the admin's button sends it. */
const syncNow = (clientId: number) =>
  callRoute(
    syncClientPost,
    `/api/v1/tasks/sync-client/${clientId}`,
    { id: String(clientId) },
    {
      method: "POST",
      token: null,
      headers: { cookie: admin.cookie },
    },
  );
afterAll(() => handle.close());
beforeEach(() => registerJobSender(null));

const runOf = async (id: number) => (await handle.db.select().from(syncRuns).where(eq(syncRuns.id, id)))[0];

describe("dispatch with Inngest configured", () => {
  it("hands Sync now to the sender with the run the answer names, and leaves the run queued for Inngest", async () => {
    const sent = transport();
    registerJobSender(sent);
    const client = await createClient(handle.db);
    const res = await syncNow(client.id);
    expect(res.status).toBe(202);
    const { runId } = await res.json();
    expect(sent.jobs).toEqual([{ kind: "sync", clientId: client.id, runId }]);
    expect((await runOf(runId)).status).toBe("queued");
  });

  it("sends every active client's sync in one call, and a rules change as a reclassify", async () => {
    const sent = transport();
    registerJobSender(sent);
    const [a, b] = [await createClient(handle.db), await createClient(handle.db)];
    const { runs } = await dispatchSyncAll(handle.db);
    const mine = sent.jobs.filter((j) => j.clientId === a.id || j.clientId === b.id);
    expect(mine.map((j) => j.kind)).toEqual(["sync", "sync"]);
    expect(sent.jobs).toEqual(runs.map((r) => ({ kind: "sync", ...r })));
    const { runId } = await dispatchReclassify(handle.db, a.id);
    expect(sent.jobs.at(-1)).toEqual({ kind: "reclassify", clientId: a.id, runId });
  });

  it("hands the scheduler's Run now of rollup and retention to the sender, each with its queued run", async () => {
    const sent = transport();
    registerJobSender(sent);
    const rollup = await dispatchRollup(handle.db);
    const retention = await dispatchRetention(handle.db);
    expect(sent.jobs.slice(-2)).toEqual([
      { kind: "rollup", runId: rollup.runId },
      { kind: "retention", runId: retention.runId },
    ]);
    expect(await runOf(rollup.runId)).toMatchObject({ function: "rollup", trigger: "manual", status: "queued" });
    expect(await runOf(retention.runId)).toMatchObject({ function: "retention", trigger: "manual", status: "queued" });
  });

  it("a refused send fails the queued run with the reason and answers 502", async () => {
    registerJobSender(transport("event API unreachable"));
    const client = await createClient(handle.db);
    const before = await handle.db.select().from(syncRuns).where(eq(syncRuns.clientId, client.id));
    const res = await syncNow(client.id);
    expect(res.status).toBe(502);
    expect((await res.json()).error.message).toBe("Could not send the event to Inngest: event API unreachable");
    const after = await handle.db.select().from(syncRuns).where(eq(syncRuns.clientId, client.id));
    expect(after.length).toBe(before.length + 1);
    const run = after.at(-1)!;
    expect(run.status).toBe("error");
    expect(run.error).toBe("Could not send the event to Inngest: event API unreachable");
    expect(run.finishedAt).not.toBeNull();
  });

  it("without a registered sender, refuses with 500 and queues no run that nobody would pick up", async () => {
    const client = await createClient(handle.db);
    const res = await syncNow(client.id);
    expect(res.status).toBe(500);
    expect(await handle.db.select().from(syncRuns).where(eq(syncRuns.clientId, client.id))).toEqual([]);
  });

  it("without a registered sender, saving rules changes nothing: their re-classification could not start", async () => {
    const client = await createClient(handle.db);
    await expect(saveRules(handle.db, client.id, { excludePatterns: ["^staging"] })).rejects.toThrow(
      "no job sender is registered",
    );
    const [row] = await handle.db.select().from(clients).where(eq(clients.id, client.id));
    expect(row.filterRules).toEqual(client.filterRules);
    expect(await handle.db.select().from(syncRuns).where(eq(syncRuns.clientId, client.id))).toEqual([]);
  });
});
