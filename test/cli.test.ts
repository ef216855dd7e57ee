import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);

/** Runs the real CLI in a child process on its own embedded database (or DATABASE_URL's server). */
async function cli(args: string[], dataDir: string) {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "scripts/flowscope.ts", ...args], {
      // No retries: an unreachable n8n should fail at once here.
      env: { ...process.env, DATA_DIR: dataDir, FLOWSCOPE_SCHEDULER: "off", N8N_MAX_RETRIES: "0" },
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
