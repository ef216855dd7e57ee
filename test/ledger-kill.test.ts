/**
 * Finding 1 with a real kill: the CLI syncing a catch-up is SIGKILLed midway; the next
 * sync (another process) collects every execution n8n has, the hole included.
 */
import { mkdtempSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { asc, eq } from "drizzle-orm";
import { openDatabase } from "@/lib/db/database";
import { clients, executions } from "@/lib/db/schema";
import { loadCoverage } from "@/lib/ingest/collect/coverage";
import { InMemorySource, startFakeN8n, type FakeExecutionInput, type FakeN8n } from "@/lib/n8n/fake";
import { runCli, startCli } from "./helpers/cli";
import { createServerDatabase, seedDataDir } from "./helpers/db";

const KEY = "kill-key";
const start = Date.parse("2026-11-01T00:00:00Z");

function finished(n: number, first: number): FakeExecutionInput[] {
  return Array.from({ length: n }, (_, i) => {
    const startedAt = new Date(start + (first + i) * 30_000);
    return {
      id: first + i,
      workflowId: "1",
      status: "success",
      startedAt,
      stoppedAt: new Date(startedAt.getTime() + 900),
    };
  });
}

describe("a sync killed mid-catch-up", () => {
  let server: FakeN8n | null = null;
  let drop: (() => Promise<void>) | null = null;
  const dataDir = mkdtempSync(path.join(tmpdir(), "flowscope-kill-"));
  afterAll(async () => {
    await server?.close();
    await drop?.();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("leaves a hole that the next sync reads: every execution n8n has is stored", async () => {
    await seedDataDir(dataDir);
    const fresh = await createServerDatabase();
    drop = fresh?.drop ?? null;
    const env: Record<string, string> = {
      DATA_DIR: dataDir,
      FLOWSCOPE_SCHEDULER: "off",
      N8N_MAX_RETRIES: "0",
      // The killed run holds the client's sync until its lease expires: keep that short.
      RUN_LEASE_SECONDS: "5",
      ...(fresh ? { DATABASE_URL: fresh.url } : {}),
    };
    // A command that fails fails the test, as it did when a failed command threw.
    const cli = async (args: string[]) => {
      const result = await runCli(args, env);
      expect(result.code, result.stderr).toBe(0);
      return result;
    };

    const source = new InMemorySource({ workflows: [{ id: "1", name: "Orders" }], executions: finished(500, 1) });
    server = await startFakeN8n({ apiKey: KEY, source, now: () => new Date(start + 40 * 86_400_000) });
    await cli(["client", "add", "--name", "Killed", "--url", server.url, "--api-key", KEY]);
    await cli(["sync", "--client", "killed"]);

    source.addExecutions(...finished(4000, 501));
    // Slow list pages, so the kill lands between pages of the catch-up.
    server.faults.delay(150, { path: "/api/v1/executions" });
    const before = server.requests.length;
    const { child, exited } = startCli(["sync", "--client", "killed"], env);
    const listRequests = () => server!.requests.slice(before).filter((r) => r.path === "/api/v1/executions").length;
    for (let i = 0; i < 600 && listRequests() < 6; i++) await new Promise((r) => setTimeout(r, 50));
    expect(listRequests()).toBeGreaterThanOrEqual(6);
    child.kill("SIGKILL");
    await exited;
    server.faults.reset();
    // With a database server the next sync waits out the dead run's lease (on PGlite the
    // folder lock already proves that no other process runs).
    await new Promise((resolve) => setTimeout(resolve, 6_000));

    const after = await cli(["sync", "--client", "killed"]);
    const result = JSON.parse(after.stdout);
    // The killed sync had stored some pages; this one read the rest, the hole behind them included.
    expect(result.executionsNew).toBeGreaterThan(0);
    expect(result.executionsNew).toBeLessThan(4000);
    expect(result.details.coverage).toMatchObject({ idsSeen: 4500, idsToRead: 0, idsMissing: 0, complete: true });

    const handle = await openDatabase(
      fresh ? { kind: "postgres", url: fresh.url, max: 2 } : { kind: "pglite", dataDir: path.join(dataDir, "pglite") },
    );
    try {
      const [client] = await handle.db.select().from(clients).where(eq(clients.slug, "killed"));
      const ids = await handle.db
        .select({ id: executions.n8nExecutionId })
        .from(executions)
        .where(eq(executions.clientId, client.id))
        .orderBy(asc(executions.n8nExecutionId));
      expect(ids.map((r) => r.id)).toEqual(Array.from({ length: 4500 }, (_, i) => i + 1));
      expect((await loadCoverage(handle.db, client.id)).collectedShare).toBe(1);
    } finally {
      await handle.close();
    }
  }, 180_000);
});
