import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, utimes, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import type { PGlite } from "@electric-sql/pglite";
import { MIGRATIONS_FOLDER, openDatabase } from "@/lib/db/database";

declare module "vitest" {
  export interface ProvidedContext {
    /** PostgreSQL: a migrated database that test databases are created from (CREATE DATABASE … TEMPLATE). */
    templateDatabase: string | null;
    /** PGlite: a file holding a migrated database's dump, loaded into memory per test file. */
    pgliteSnapshot: string | null;
    /** scripts/flowscope.ts as one JavaScript file, for tests that run the CLI (test/helpers/cli.ts). */
    cliBundle: string | null;
    /** A folder for files that live as long as this run (test/helpers/db.ts seedDataDir), removed after it. */
    scratchDir: string;
  }
}

/**
 * Runs the real migrations once (on PGlite, once per change to them: see pgliteSnapshot)
 * and hands every test file a copy of the result: migrating a fresh database took about
 * six of the seconds each database-backed file spent, loading a copy takes under one.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), "flowscope-run-"));
  project.provide("scratchDir", scratch);
  const bundle = path.join(
    process.cwd(),
    "node_modules",
    ".cache",
    "flowscope-tests",
    `cli-${process.pid}-${randomBytes(4).toString("hex")}.mjs`,
  );
  project.provide("cliBundle", bundle);
  const removeFiles = async () => {
    await rm(bundle, { force: true });
    await rm(scratch, { recursive: true, force: true });
  };
  try {
    const [, teardown] = await Promise.all([bundleCli(bundle), setupDatabase(project)]);
    // Watch mode runs this setup once: the CLI must be what the source says at each rerun.
    project.onTestsRerun(() => bundleCli(bundle));
    return async () => {
      await teardown();
      await removeFiles();
    };
  } catch (err) {
    await removeFiles();
    throw err;
  }
}

/**
 * Transpiles the CLI (scripts/flowscope.ts and the project files it imports) into one
 * ES module, with the esbuild that tsx itself uses and the project's tsconfig. `npm run
 * flowscope` runs the same code through tsx, whose loader resolves and transforms each
 * of the few hundred project files in every process: that took over a second and two CPU
 * seconds of each of the CLI tests' twenty-odd child processes. Packages stay imports,
 * resolved by Node from node_modules as under tsx, so the bundle lives under
 * node_modules/.cache.
 */
async function bundleCli(outfile: string): Promise<void> {
  const require = createRequire(import.meta.url);
  const esbuild = createRequire(require.resolve("tsx/package.json"))("esbuild") as typeof import("esbuild");
  await esbuild.build({
    entryPoints: [path.join(process.cwd(), "scripts", "flowscope.ts")],
    outfile,
    bundle: true,
    packages: "external",
    platform: "node",
    format: "esm",
    target: `node${process.versions.node.split(".")[0]}`,
    tsconfig: path.join(process.cwd(), "tsconfig.json"),
    logLevel: "warning",
  });
}

async function setupDatabase(project: TestProject): Promise<() => Promise<void>> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = `flowscope_template_${randomBytes(6).toString("hex")}`;
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const target = new URL(url);
    target.pathname = `/${name}`;
    const handle = await openDatabase({ kind: "postgres", url: target.toString(), max: 1 });
    // A template must have no open connections while it is copied.
    await handle.close();
    project.provide("templateDatabase", name);
    project.provide("pgliteSnapshot", null);
    return async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  }
  project.provide("templateDatabase", null);
  project.provide("pgliteSnapshot", await pgliteSnapshot());
  return async () => {};
}

/**
 * The migrated PGlite database as a dump, made once and kept in node_modules/.cache for
 * later runs: migrating took about four seconds at the start of every run, with both
 * workers waiting. The file's name is a hash of everything the result depends on (the
 * migrations, the code that applies them, the PGlite and drizzle-orm versions), so a
 * change to any of them makes a new one. FLOWSCOPE_TEST_SNAPSHOT_CACHE=0 migrates anew.
 */
async function pgliteSnapshot(): Promise<string> {
  const dir = path.join(process.cwd(), "node_modules", ".cache", "flowscope-tests");
  const file = path.join(dir, `pglite-${await snapshotKey()}.tar`);
  const cached = process.env.FLOWSCOPE_TEST_SNAPSHOT_CACHE !== "0";
  if (cached && existsSync(file)) {
    // Marks it as in use, for pruneSnapshots.
    const now = new Date();
    await utimes(file, now, now);
    return file;
  }

  const handle = await openDatabase({ kind: "pglite", dataDir: null });
  const client = (handle.db as unknown as { $client: PGlite }).$client;
  const dump = await client.dumpDataDir("none");
  await handle.close();
  await mkdir(dir, { recursive: true });
  // Written under another name and renamed: a run starting meanwhile never reads half a file.
  const partial = `${file}.${process.pid}-${randomBytes(4).toString("hex")}`;
  await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
  await rename(partial, file);
  await pruneSnapshots(dir, file);
  return file;
}

async function snapshotKey(): Promise<string> {
  const hash = createHash("sha256");
  const inputs = [
    // Their versions (these packages do not export their package.json).
    path.join("node_modules", "@electric-sql", "pglite", "package.json"),
    path.join("node_modules", "drizzle-orm", "package.json"),
    path.join("lib", "db", "database.ts"),
    ...(await readdir(MIGRATIONS_FOLDER, { recursive: true }))
      .map((name) => path.join(path.relative(process.cwd(), MIGRATIONS_FOLDER), name))
      .sort(),
  ];
  for (const input of inputs) {
    const full = path.join(process.cwd(), input);
    if (!(await stat(full)).isFile()) continue;
    hash.update(`${input}\n`);
    hash.update(await readFile(full));
  }
  return hash.digest("hex").slice(0, 16);
}

/** Removes snapshots of other inputs once no run can still be reading them (an hour after their last use). */
async function pruneSnapshots(dir: string, keep: string): Promise<void> {
  for (const name of await readdir(dir)) {
    const full = path.join(dir, name);
    if (full === keep || !name.startsWith("pglite-")) continue;
    const { mtimeMs } = await stat(full);
    if (Date.now() - mtimeMs > 3_600_000) await rm(full, { force: true });
  }
}
