import { mkdtempSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { and, desc, eq } from "drizzle-orm";
import postgres from "postgres";
import { openDatabase } from "@/lib/db/database";
import { syncRuns } from "@/lib/db/schema";
import { InMemorySource, startFakeN8n, type FakeN8n } from "@/lib/n8n/fake";
import { failExpiredRuns, RUN_LEASE_MS } from "@/lib/runs/record";
import { generateEncryptionKey, parseEncryptionKey } from "@/lib/core/secrets/encryption";
import { runCli, startCli as startCliIn } from "./helpers/cli";
import { createServerDatabase, seedDataDir } from "./helpers/db";

// The three suites below, and the chains of commands within a test that share no
// database, run at the same time: each child process spends most of its life starting up
// and opening its database, and the CLI holds its data folder's lock for a whole command
// (PGlite allows one process per folder), so commands that share a folder run one after
// the other. A folder made by seedDataDir is a fresh copy of the migrated database.

const CLI_ENV = { FLOWSCOPE_SCHEDULER: "off", N8N_MAX_RETRIES: "0" };

/** Runs the real CLI in a child process on its own embedded database (or DATABASE_URL's server). */
function cli(args: string[], dataDir: string, env: Record<string, string> = {}) {
  // No retries: an unreachable n8n should fail at once here.
  return runCli(args, { DATA_DIR: dataDir, ...CLI_ENV, ...env });
}

/** The CLI started in the background, to be killed or cut off mid-run. */
function startCli(args: string[], dataDir: string, env: Record<string, string> = {}) {
  return startCliIn(args, { DATA_DIR: dataDir, ...CLI_ENV, ...env });
}

const dataDirs: string[] = [];
afterAll(() => Promise.all(dataDirs.map((dir) => rm(dir, { recursive: true, force: true }))));

/** A new data folder holding a copy of the migrated database, removed after the file. */
async function seededDataDir(prefix: string): Promise<string> {
  const dataDir = mkdtempSync(path.join(tmpdir(), prefix));
  dataDirs.push(dataDir);
  await seedDataDir(dataDir);
  return dataDir;
}

/**
 * With DATABASE_URL, the commands of the first suite all use that one database, which the
 * first of them migrates: there they run one after the other, in order, as they always did.
 */
const sharedDatabase = Boolean(process.env.DATABASE_URL);
async function inTurnIfShared<T>(tasks: Array<() => Promise<T>>): Promise<T[]> {
  if (!sharedDatabase) return Promise.all(tasks.map((task) => task()));
  const results: T[] = [];
  for (const task of tasks) results.push(await task());
  return results;
}

(sharedDatabase ? describe : describe.concurrent)("CLI", () => {
  it("rejects bad input with one sentence and exit code 1, no stack trace", async () => {
    // Each command fails before it writes anything; on PGlite each has a fresh copy of the database.
    const [badUrl, unknown, days, option] = await inTurnIfShared([
      () =>
        seededDataDir("flowscope-cli-").then((dir) =>
          cli(["client", "add", "--name", "Acme", "--url", "not a url", "--api-key", "k"], dir),
        ),
      () => seededDataDir("flowscope-cli-").then((dir) => cli(["sync", "--client", "no-such-client"], dir)),
      () => seededDataDir("flowscope-cli-").then((dir) => cli(["backfill", "--days=-3"], dir)),
      () => seededDataDir("flowscope-cli-").then((dir) => cli(["sync", "--bogus"], dir)),
    ]);
    expect(badUrl.code).toBe(1);
    expect(badUrl.stderr.trim()).toBe("error: n8nBaseUrl: must be a URL such as https://n8n.example.com");

    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toBe('error: Client "no-such-client" not found');

    expect(days.stderr.trim()).toBe("error: --days must be a whole number of days between 1 and 3650");

    expect(option.code).toBe(1);
    expect(option.stderr.trim()).toMatch(/^error: Unknown option '--bogus'/);
  }, 120_000);

  it("reports an unreachable n8n as the client's sync error", async () => {
    const dataDir = await seededDataDir("flowscope-cli-");
    const added = await cli(
      ["client", "add", "--name", "Gone", "--url", "http://127.0.0.1:9", "--api-key", "k"],
      dataDir,
    );
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ name: "Gone", slug: "gone", n8nBaseUrl: "http://127.0.0.1:9" });
    expect(added.stdout).not.toContain('"k"');

    const sync = await cli(["sync", "--client", "gone"], dataDir);
    expect(sync.code).toBe(1);
    expect(sync.stderr).toMatch(/^error: .*127\.0\.0\.1:9/);
    expect(sync.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);
});

describe.concurrent("CLI: accounts and secrets", () => {
  // Its own database: rotation rewrites every stored key in it.
  let dataDir: string;
  let server: Awaited<ReturnType<typeof createServerDatabase>>;
  const db = (): Record<string, string> => (server ? { DATABASE_URL: server.url } : {});
  beforeAll(async () => {
    server = await createServerDatabase();
    dataDir = await seededDataDir("flowscope-cli-keys-");
  });
  afterAll(() => server?.drop());

  const oldKey = generateEncryptionKey();
  const newKey = generateEncryptionKey();

  it.sequential(
    "creates the first admin and a client token, printing no password",
    async () => {
      // The users (on a copy of the database: they have nothing to do with the keys)
      // while the client and its token are made.
      const users = async () => {
        const usersDir = await seededDataDir("flowscope-cli-users-");
        const admin = await cli(
          ["user", "add", "--email", "First@Example.test", "--password", "a-long-password", "--role", "admin"],
          usersDir,
          db(),
        );
        expect(admin.code, admin.stderr).toBe(0);
        expect(JSON.parse(admin.stdout)).toMatchObject({ email: "first@example.test", role: "admin", clientId: null });
        expect(admin.stdout).not.toContain("a-long-password");

        const again = await cli(
          ["user", "add", "--email", "first@example.test", "--password", "a-long-password", "--role", "admin"],
          usersDir,
          db(),
        );
        expect(again.code).toBe(1);
        expect(again.stderr.trim()).toBe("error: A user with email first@example.test already exists");

        const noClient = await cli(
          ["user", "add", "--email", "c@example.test", "--password", "a-long-password", "--role", "client"],
          usersDir,
          db(),
        );
        expect(noClient.stderr.trim()).toBe("error: clientId: is required for a client user");
      };

      const clientAndToken = async () => {
        const added = await cli(
          ["client", "add", "--name", "Keys", "--url", "http://127.0.0.1:9", "--api-key", "n8n-key-1234"],
          dataDir,
          { ...db(), FLOWSCOPE_ENCRYPTION_KEY: oldKey },
        );
        expect(added.code, added.stderr).toBe(0);
        const token = await cli(["token", "create", "--name", "ci", "--client", "keys"], dataDir, db());
        expect(token.code, token.stderr).toBe(0);
        expect(token.stdout).toMatch(/\nfs_[A-Za-z0-9_-]{43}\n/);
      };

      await Promise.all([users(), clientAndToken()]);
    },
    120_000,
  );

  it.sequential(
    "rotate-key re-encrypts the stored n8n keys: the old key no longer reads them, the new one does",
    async () => {
      const bad = await cli(["rotate-key", "--new-key", "short"], dataDir, {
        ...db(),
        FLOWSCOPE_ENCRYPTION_KEY: oldKey,
      });
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/^error: --new-key: FLOWSCOPE_ENCRYPTION_KEY must be 32 bytes/);

      const rotated = await cli(["rotate-key", "--new-key", newKey], dataDir, {
        ...db(),
        FLOWSCOPE_ENCRYPTION_KEY: oldKey,
      });
      expect(rotated.code, rotated.stderr).toBe(0);
      expect(rotated.stdout).toContain(
        `Re-encrypted 1 n8n API key(s) and 0 alert channel(s) under key ${parseEncryptionKey(newKey).id}`,
      );

      // The sync fails either way (nothing listens on port 9), but only after decrypting with the new key.
      const withOld = await cli(["sync", "--client", "keys"], dataDir, { ...db(), FLOWSCOPE_ENCRYPTION_KEY: oldKey });
      expect(withOld.stderr).toMatch(/encrypted under key .* run "flowscope rotate-key"/);
      const withNew = await cli(["sync", "--client", "keys"], dataDir, { ...db(), FLOWSCOPE_ENCRYPTION_KEY: newKey });
      expect(withNew.stderr).toMatch(/127\.0\.0\.1:9/);
      expect(withNew.stderr).not.toMatch(/encrypted under key/);
    },
    120_000,
  );
});

describe.concurrent("CLI: runs that end badly", () => {
  const KEY = "slow-n8n-key";
  let server: Awaited<ReturnType<typeof createServerDatabase>>;
  const fakes: FakeN8n[] = [];
  const db = (): Record<string, string> => (server ? { DATABASE_URL: server.url } : {});
  beforeAll(async () => {
    server = await createServerDatabase();
  });
  afterAll(async () => {
    await Promise.all(fakes.map((f) => f.close()));
    await server?.drop();
  });

  /** An n8n that takes `delayMs` over every answer, registered through the CLI as `slug`. */
  async function slowClient(dataDir: string, slug: string, delayMs: number) {
    const startedAt = new Date(Date.now() - 3_600_000);
    const source = new InMemorySource({
      workflows: [{ id: "wf-1", name: "Slow", nodes: [] }],
      executions: [
        { id: 1, workflowId: "wf-1", status: "success", startedAt, stoppedAt: new Date(startedAt.getTime() + 1000) },
      ],
    });
    const fake = await startFakeN8n({ apiKey: KEY, source });
    fakes.push(fake);
    fake.faults.delay(delayMs);
    const added = await cli(
      ["client", "add", "--name", slug, "--slug", slug, "--url", fake.url, "--api-key", KEY],
      dataDir,
      db(),
    );
    expect(added.code, added.stderr).toBe(0);
    return fake;
  }

  /** The newest CLI sync run, read from the database the CLI used. */
  async function lastCliRun(dataDir: string) {
    const handle = server
      ? await openDatabase({ kind: "postgres", url: server.url, max: 1 })
      : await openDatabase({ kind: "pglite", dataDir: path.resolve(dataDir, "pglite") });
    const [run] = await handle.db
      .select()
      .from(syncRuns)
      .where(and(eq(syncRuns.function, "sync-client"), eq(syncRuns.trigger, "cli")))
      .orderBy(desc(syncRuns.id))
      .limit(1);
    return { run, handle };
  }

  // One after the other: with DATABASE_URL both use one database, and the second cuts its connections.
  it.sequential(
    "a killed CLI sync stays running until its lease expires, then whoever looks next fails it",
    async () => {
      const dataDir = await seededDataDir("flowscope-cli-kill-");
      const fake = await slowClient(dataDir, "killed", 60_000);
      const sync = startCli(["sync", "--client", "killed"], dataDir, db());
      // The run is recorded before the first request to n8n, which now hangs.
      await vi.waitFor(() => expect(fake.faults.fired.delay).toBeGreaterThan(0), { timeout: 60_000, interval: 100 });
      sync.child.kill("SIGKILL");
      expect((await sync.exited).signal).toBe("SIGKILL");

      const { run, handle } = await lastCliRun(dataDir);
      try {
        expect(run).toMatchObject({ status: "running", finishedAt: null });
        expect(run.heartbeatAt).not.toBeNull();
        // Within its lease the run may still be alive somewhere: left alone.
        expect(await failExpiredRuns(handle.db, new Date(), { runId: run.id })).toBe(0);
        // Once the lease has passed since its last heartbeat, it is failed.
        const later = new Date((run.heartbeatAt as Date).getTime() + RUN_LEASE_MS + 1_000);
        expect(await failExpiredRuns(handle.db, later)).toBe(1);
        const [failed] = await handle.db.select().from(syncRuns).where(eq(syncRuns.id, run.id));
        expect(failed.status).toBe("error");
        expect(failed.error).toMatch(
          /^Interrupted: the process running it stopped \(no heartbeat since \d\d:\d\d:\d\d UTC\)$/,
        );
      } finally {
        await handle.close();
      }
    },
    120_000,
  );

  it.skipIf(!process.env.DATABASE_URL).sequential(
    "a CLI sync whose database connection is cut exits non-zero, and does not hang",
    async () => {
      const dataDir = await seededDataDir("flowscope-cli-cut-");
      const fake = await slowClient(dataDir, "cut", 1_500);
      const name = new URL(server?.url as string).pathname.slice(1);
      const admin = postgres(process.env.DATABASE_URL as string, { max: 1, onnotice: () => {} });
      try {
        const sync = startCli(["sync", "--client", "cut"], dataDir, db());
        await vi.waitFor(() => expect(fake.faults.fired.delay).toBeGreaterThan(0), { timeout: 60_000, interval: 100 });
        // Like a database restart: every connection is terminated, and new ones are refused for a while.
        await admin.unsafe(`alter database ${name} allow_connections false`);
        await admin.unsafe(
          `select pg_terminate_backend(pid) from pg_stat_activity where datname = '${name}' and pid <> pg_backend_pid()`,
        );

        // The test's timeout is what catches a hang; the lease is what catches a lost record.
        const result = await sync.exited;
        expect(result.signal).toBeNull();
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(/^error: Database error/m);
        expect(result.stderr).not.toMatch(/params:/);

        await admin.unsafe(`alter database ${name} allow_connections true`);
        const { run, handle } = await lastCliRun(dataDir);
        try {
          if (run.status === "running") {
            // Its last words could not be written: the lease ends it.
            const later = new Date((run.heartbeatAt as Date).getTime() + RUN_LEASE_MS + 1_000);
            expect(await failExpiredRuns(handle.db, later, { runId: run.id })).toBe(1);
          }
          const [final] = await handle.db.select().from(syncRuns).where(eq(syncRuns.id, run.id));
          expect(final.status).toBe("error");
        } finally {
          await handle.close();
        }
      } finally {
        await admin.unsafe(`alter database ${name} allow_connections true`).catch(() => {});
        await admin.end();
      }
    },
    120_000,
  );
});
