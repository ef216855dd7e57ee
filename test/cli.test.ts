import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateEncryptionKey, parseEncryptionKey } from "@/lib/secrets/encryption";
import { createServerDatabase } from "./helpers/db";

const run = promisify(execFile);

/** Runs the real CLI in a child process on its own embedded database (or DATABASE_URL's server). */
async function cli(args: string[], dataDir: string, env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "scripts/flowscope.ts", ...args], {
      // No retries: an unreachable n8n should fail at once here.
      env: { ...process.env, DATA_DIR: dataDir, FLOWSCOPE_SCHEDULER: "off", N8N_MAX_RETRIES: "0", ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("CLI", () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "flowscope-cli-"));

  it("rejects bad input with one sentence and exit code 1, no stack trace", async () => {
    const badUrl = await cli(["client", "add", "--name", "Acme", "--url", "not a url", "--api-key", "k"], dataDir);
    expect(badUrl.code).toBe(1);
    expect(badUrl.stderr.trim()).toBe("error: n8nBaseUrl: must be a URL such as https://n8n.example.com");

    const unknown = await cli(["sync", "--client", "no-such-client"], dataDir);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toBe('error: Client "no-such-client" not found');

    const days = await cli(["backfill", "--days=-3"], dataDir);
    expect(days.stderr.trim()).toBe("error: --days must be a whole number of days between 1 and 3650");

    const option = await cli(["sync", "--bogus"], dataDir);
    expect(option.code).toBe(1);
    expect(option.stderr.trim()).toMatch(/^error: Unknown option '--bogus'/);
  }, 120_000);

  it("reports an unreachable n8n as the client's sync error", async () => {
    const added = await cli(["client", "add", "--name", "Gone", "--url", "http://127.0.0.1:9", "--api-key", "k"], dataDir);
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ name: "Gone", slug: "gone", n8nBaseUrl: "http://127.0.0.1:9" });
    expect(added.stdout).not.toContain('"k"');

    const sync = await cli(["sync", "--client", "gone"], dataDir);
    expect(sync.code).toBe(1);
    expect(sync.stderr).toMatch(/^error: .*127\.0\.0\.1:9/);
    expect(sync.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);
});

describe("CLI: accounts and secrets", () => {
  // Its own database: rotation rewrites every stored key in it.
  const dataDir = mkdtempSync(path.join(tmpdir(), "flowscope-cli-keys-"));
  let server: Awaited<ReturnType<typeof createServerDatabase>>;
  const db = (): Record<string, string> => (server ? { DATABASE_URL: server.url } : {});
  beforeAll(async () => {
    server = await createServerDatabase();
  });
  afterAll(() => server?.drop());

  const oldKey = generateEncryptionKey();
  const newKey = generateEncryptionKey();

  it("creates the first admin and a client token, printing no password", async () => {
    const admin = await cli(["user", "add", "--email", "First@Example.test", "--password", "a-long-password", "--role", "admin"], dataDir, db());
    expect(admin.code, admin.stderr).toBe(0);
    expect(JSON.parse(admin.stdout)).toMatchObject({ email: "first@example.test", role: "admin", clientId: null });
    expect(admin.stdout).not.toContain("a-long-password");

    const again = await cli(["user", "add", "--email", "first@example.test", "--password", "a-long-password", "--role", "admin"], dataDir, db());
    expect(again.code).toBe(1);
    expect(again.stderr.trim()).toBe("error: A user with email first@example.test already exists");

    const noClient = await cli(["user", "add", "--email", "c@example.test", "--password", "a-long-password", "--role", "client"], dataDir, db());
    expect(noClient.stderr.trim()).toBe("error: clientId: is required for a client user");

    const added = await cli(["client", "add", "--name", "Keys", "--url", "http://127.0.0.1:9", "--api-key", "n8n-key-1234"], dataDir, { ...db(), FLOWSCOPE_ENCRYPTION_KEY: oldKey });
    expect(added.code, added.stderr).toBe(0);
    const token = await cli(["token", "create", "--name", "ci", "--client", "keys"], dataDir, db());
    expect(token.code, token.stderr).toBe(0);
    expect(token.stdout).toMatch(/\nfs_[A-Za-z0-9_-]{43}\n/);
  }, 120_000);

  it("rotate-key re-encrypts the stored n8n keys: the old key no longer reads them, the new one does", async () => {
    const bad = await cli(["rotate-key", "--new-key", "short"], dataDir, { ...db(), FLOWSCOPE_ENCRYPTION_KEY: oldKey });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: --new-key: FLOWSCOPE_ENCRYPTION_KEY must be 32 bytes/);

    const rotated = await cli(["rotate-key", "--new-key", newKey], dataDir, { ...db(), FLOWSCOPE_ENCRYPTION_KEY: oldKey });
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(rotated.stdout).toContain(`Re-encrypted 1 n8n API key(s) under key ${parseEncryptionKey(newKey).id}`);

    // The sync fails either way (nothing listens on port 9), but only after decrypting with the new key.
    const withOld = await cli(["sync", "--client", "keys"], dataDir, { ...db(), FLOWSCOPE_ENCRYPTION_KEY: oldKey });
    expect(withOld.stderr).toMatch(/encrypted under key .* run "flowscope rotate-key"/);
    const withNew = await cli(["sync", "--client", "keys"], dataDir, { ...db(), FLOWSCOPE_ENCRYPTION_KEY: newKey });
    expect(withNew.stderr).toMatch(/127\.0\.0\.1:9/);
    expect(withNew.stderr).not.toMatch(/encrypted under key/);
  }, 120_000);
});
