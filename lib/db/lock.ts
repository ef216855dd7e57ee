import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { AppError } from "@/lib/core/errors";

const LOCK_FILE = "flowscope.lock";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Takes the embedded database folder for this process. PGlite allows one process per
 * data directory, so a second one (the CLI while the server runs) is refused with a
 * message that says what to do. A lock left by a dead process is taken over.
 */
export function acquireDataDirLock(dataDir: string): () => void {
  const file = path.join(dataDir, LOCK_FILE);
  let holder: { pid: number; command: string } | null = null;
  try {
    holder = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    holder = null;
  }
  if (holder && holder.pid !== process.pid && isAlive(holder.pid)) {
    throw new AppError(
      "database_locked",
      `The embedded database in ${dataDir} is in use by process ${holder.pid} (${holder.command}). ` +
        "PGlite allows one process per folder: stop that process, or use the running server " +
        "(its API and the Inngest functions), or set DATABASE_URL to a PostgreSQL server.",
    );
  }
  const command = process.argv
    .slice(1, 3)
    .map((a) => path.basename(a))
    .join(" ");
  writeFileSync(file, JSON.stringify({ pid: process.pid, command }));
  const release = () => {
    try {
      const current = JSON.parse(readFileSync(file, "utf8"));
      if (current.pid === process.pid) rmSync(file);
    } catch {
      // Already gone.
    }
  };
  process.once("exit", release);
  return release;
}
