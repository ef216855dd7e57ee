import { execFile, spawn } from "node:child_process";
import { promisify } from "node:util";
import { inject } from "vitest";

const run = promisify(execFile);

/**
 * Node's arguments for the CLI: the bundle of scripts/flowscope.ts that test/global-setup.ts
 * built for this run, or, without one (outside vitest), the source through tsx as
 * `npm run flowscope` runs it.
 */
function cliArgs(args: string[]): string[] {
  let bundle: string | null = null;
  try {
    bundle = inject("cliBundle") ?? null;
  } catch {
    bundle = null;
  }
  return bundle ? [bundle, ...args] : ["--import", "tsx", "scripts/flowscope.ts", ...args];
}

export interface CliOutcome {
  /** The exit code; null when a signal ended it. */
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real CLI in a child process to its end, with `env` over this process's
 * environment; a non-zero exit is an outcome, not an error.
 */
export async function runCli(args: string[], env: Record<string, string>): Promise<CliOutcome> {
  try {
    const { stdout, stderr } = await run(process.execPath, cliArgs(args), { env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number | null; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** The CLI started in the background, to be killed or cut off mid-run. */
export function startCli(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, cliArgs(args), {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>(
    (resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, exited };
}
