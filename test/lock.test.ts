import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { acquireDataDirLock } from "@/lib/db/lock";
import { AppError } from "@/lib/core/errors";

const freshDir = () => mkdtempSync(path.join(tmpdir(), "flowscope-lock-"));
const lockFile = (dir: string) => path.join(dir, "flowscope.lock");

describe("embedded database lock", () => {
  it("refuses a folder held by another live process, with a message that says what to do", () => {
    const dir = freshDir();
    // The test runner's parent is alive for the whole test.
    writeFileSync(lockFile(dir), JSON.stringify({ pid: process.ppid, command: "next start" }));
    let error: unknown;
    try {
      acquireDataDirLock(dir);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("database_locked");
    expect((error as AppError).message).toContain(`in use by process ${process.ppid} (next start)`);
    expect((error as AppError).message).toMatch(/DATABASE_URL/);
  });

  it("takes over a lock left by a dead process and releases it", () => {
    const dir = freshDir();
    writeFileSync(lockFile(dir), JSON.stringify({ pid: 2 ** 22 + 12345, command: "crashed" }));
    const release = acquireDataDirLock(dir);
    expect(JSON.parse(readFileSync(lockFile(dir), "utf8")).pid).toBe(process.pid);
    release();
    expect(existsSync(lockFile(dir))).toBe(false);
  });
});
