/**
 * The Flowscope CLI: `npm run flowscope -- <command> [options]`. It runs the same lib/
 * functions as the Inngest functions and the in-process scheduler.
 *
 * On the embedded database it takes the ./.data lock, so it refuses to run while the
 * server is up (PGlite allows one process per folder); with DATABASE_URL it runs beside it.
 */
import { parseArgs } from "node:util";
import { closeDb, getDatabase, type Db } from "@/lib/db/database";
import { flushMetrics } from "@/lib/telemetry";
import { withTimeout } from "@/lib/core/timeout";
import { GRANULARITIES, type Granularity } from "@/lib/core/vocabulary";
import { AppError } from "@/lib/core/errors";
import { createClient, resolveClient } from "@/lib/clients";
import { listClientsWithCounts } from "@/lib/metrics/status/client-stats";
import {
  syncAllClients,
  syncClient,
  reclassifyClient,
  runBackfillJob,
  runRetentionJob,
  runRollupJob,
} from "@/lib/jobs";
import { N8nError } from "@/lib/n8n";
import { describeError } from "@/lib/core/describe-error";
import { startDemo } from "@/lib/jobs/boot/demo";
import { createUser } from "@/lib/accounts/users";
import { createApiToken } from "@/lib/accounts/tokens";
import { reencryptApiKeys } from "@/lib/clients/connection";
import { reencryptChannelConfigs } from "@/lib/alerts/channels";
import { setClientTimeZone } from "@/lib/jobs/time-zone";
import { appEncryptionKey } from "@/lib/core/secrets/app-key";
import { generateEncryptionKey, parseEncryptionKey } from "@/lib/core/secrets/encryption";

const USAGE = `Usage: npm run flowscope -- <command> [options]

Commands:
  client add --name <name> --url <n8n base URL> --api-key <key> [--slug <slug>] [--time-zone <zone>]
                                         register a client; its days, weeks and months start at
                                         midnight in <zone> (IANA, e.g. Europe/Berlin; default UTC)
  client list                            every client with its counts, last run and time zone
  client set-zone --client <id|slug> --time-zone <zone>
                                         change the client's time zone: its day, week and month
                                         figures are rebuilt in <zone> from the printed timeZoneFrom on
  sync [--client <id|slug>]              collect workflows and executions now
  backfill --days <N> [--client <id|slug>] [--dry-run] [--granularity hour,day,week,month] [--recompute-costs]
                                         rebuild rollups of the last N days; --recompute-costs
                                         first re-prices their LLM usage (explicit costs kept)
  reclassify --client <id|slug>          re-apply the client's filter rules to its history
  rollup                                 fold pending executions into the rollups
  cleanup                                apply retention (RETENTION_* variables)
  migrate                                apply database migrations (also done on every open)
  demo-seed                              collect the demo's fake n8n once (30 days of history)
  user add --email <e> --password <p> --role admin|operator|client [--client <id|slug>] [--name <n>]
                                         create a user (the first admin, or any other)
  token create --name <name> [--client <id|slug>]
                                         create an API token (printed once; global without --client)
  rotate-key --new-key <key>             re-encrypt stored n8n API keys from FLOWSCOPE_ENCRYPTION_KEY
                                         to <key>; then set FLOWSCOPE_ENCRYPTION_KEY=<key> and restart
  generate-key                           print a new random encryption key`;

const OPTIONS = {
  name: { type: "string" },
  url: { type: "string" },
  "api-key": { type: "string" },
  slug: { type: "string" },
  "time-zone": { type: "string" },
  client: { type: "string" },
  days: { type: "string" },
  "dry-run": { type: "boolean", default: false },
  "recompute-costs": { type: "boolean", default: false },
  granularity: { type: "string" },
  email: { type: "string" },
  password: { type: "string" },
  role: { type: "string" },
  "new-key": { type: "string" },
  help: { type: "boolean", short: "h", default: false },
} as const;

function parseCommandLine() {
  try {
    return parseArgs({ allowPositionals: true, options: OPTIONS });
  } catch (err) {
    // node:util throws TypeErrors for unknown or malformed options: an input error, not a bug.
    throw new AppError("bad_request", (err as Error).message.split("\n")[0]);
  }
}

function parseDays(raw: string | undefined): number {
  const days = Number(raw);
  if (!raw || !Number.isInteger(days) || days < 1 || days > 3650) {
    throw new AppError("bad_request", "--days must be a whole number of days between 1 and 3650");
  }
  return days;
}

function parseGranularities(raw: string | undefined): Granularity[] | undefined {
  if (!raw) return undefined;
  const list = raw.split(",").map((g) => g.trim());
  const bad = list.filter((g) => !(GRANULARITIES as readonly string[]).includes(g));
  if (bad.length > 0) {
    throw new AppError("bad_request", `--granularity: unknown ${bad.join(", ")}; use ${GRANULARITIES.join(",")}`);
  }
  return list as Granularity[];
}

function parseKeyArgument(text: string) {
  try {
    return parseEncryptionKey(text);
  } catch (err) {
    throw new AppError("bad_request", `--new-key: ${(err as Error).message}`);
  }
}

const print = (value: unknown) => console.log(JSON.stringify(value, null, 2));

/** The database main opened, whose buffered metrics exit writes. */
let openedDb: Db | null = null;
const METRICS_FLUSH_MS = 5_000;

async function main(): Promise<number> {
  const { positionals, values } = parseCommandLine();
  const [command, sub] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return command ? 0 : 1;
  }
  if (command === "generate-key") {
    console.log(generateEncryptionKey());
    return 0;
  }
  const { db } = await getDatabase();
  openedDb = db;
  const clientRef = values.client;

  switch (command) {
    case "client":
      if (sub === "add") {
        const client = await createClient(db, {
          name: values.name,
          slug: values.slug,
          n8nBaseUrl: values.url,
          n8nApiKey: values["api-key"],
          timeZone: values["time-zone"],
        });
        print({
          id: client.id,
          name: client.name,
          slug: client.slug,
          n8nBaseUrl: client.n8nBaseUrl,
          timeZone: client.timeZone,
        });
        return 0;
      }
      if (sub === "list") {
        print(await listClientsWithCounts(db));
        return 0;
      }
      if (sub === "set-zone") {
        if (!clientRef) throw new AppError("bad_request", "--client is required");
        if (!values["time-zone"]) throw new AppError("bad_request", "--time-zone is required");
        const client = await resolveClient(db, clientRef);
        // The rebuild runs here, in this process: the printed result says from when the zone
        // applies. The same zone again rebuilds nothing.
        print(await setClientTimeZone(db, client.id, values["time-zone"]));
        return 0;
      }
      throw new AppError("bad_request", `unknown command "client ${sub ?? ""}"\n\n${USAGE}`);
    case "sync": {
      if (clientRef) {
        const client = await resolveClient(db, clientRef);
        print(await syncClient(db, { clientId: client.id, trigger: "cli" }));
        return 0;
      }
      const outcomes = await syncAllClients(db, { trigger: "cli" });
      print(outcomes);
      return outcomes.every((o) => o.ok) ? 0 : 1;
    }
    case "backfill": {
      const client = clientRef ? await resolveClient(db, clientRef) : undefined;
      print(
        await runBackfillJob(db, {
          trigger: "cli",
          clientId: client?.id,
          days: parseDays(values.days),
          dryRun: values["dry-run"],
          granularities: parseGranularities(values.granularity),
          recomputeCosts: values["recompute-costs"],
        }),
      );
      return 0;
    }
    case "reclassify": {
      if (!clientRef) throw new AppError("bad_request", "--client is required");
      const client = await resolveClient(db, clientRef);
      print(await reclassifyClient(db, { clientId: client.id, trigger: "cli" }));
      return 0;
    }
    case "rollup":
      print(await runRollupJob(db, { trigger: "cli" }));
      return 0;
    case "cleanup":
      print(await runRetentionJob(db, { trigger: "cli" }));
      return 0;
    case "demo-seed": {
      // Through the real collection path, like the running demo; the fake n8n lives only this long.
      const demo = await startDemo(db);
      try {
        print(await syncClient(db, { clientId: demo.clientId, trigger: "cli" }));
      } finally {
        await Promise.all(demo.servers.map((server) => server.close()));
      }
      return 0;
    }
    case "user": {
      if (sub !== "add") throw new AppError("bad_request", `unknown command "user ${sub ?? ""}"\n\n${USAGE}`);
      const client = clientRef ? await resolveClient(db, clientRef) : undefined;
      const user = await createUser(db, {
        email: values.email,
        password: values.password,
        name: values.name,
        role: values.role,
        clientId: client?.id ?? null,
      });
      print(user);
      return 0;
    }
    case "token": {
      if (sub !== "create") throw new AppError("bad_request", `unknown command "token ${sub ?? ""}"\n\n${USAGE}`);
      const client = clientRef ? await resolveClient(db, clientRef) : undefined;
      const { token, apiToken } = await createApiToken(db, { name: values.name, clientId: client?.id ?? null }, null);
      print(apiToken);
      console.log(`\nToken (shown once, store it now):\n${token}`);
      return 0;
    }
    case "rotate-key": {
      if (!values["new-key"])
        throw new AppError("bad_request", "--new-key is required (make one with: npm run flowscope -- generate-key)");
      const next = parseKeyArgument(values["new-key"]);
      // One transaction: every secret is under the new key, or all stay under the old one.
      const { keys, channels } = await db.transaction(async (tx) => ({
        keys: await reencryptApiKeys(tx, appEncryptionKey(), next),
        channels: await reencryptChannelConfigs(tx, appEncryptionKey(), next),
      }));
      console.log(
        `Re-encrypted ${keys} n8n API key(s) and ${channels} alert channel(s) under key ${next.id}. Set FLOWSCOPE_ENCRYPTION_KEY to the new key and restart.`,
      );
      return 0;
    }
    case "migrate":
      console.log("Migrations applied.");
      return 0;
    default:
      throw new AppError("bad_request", `unknown command "${command}"\n\n${USAGE}`);
  }
}

/**
 * Every way out goes through here. The exit code is set before the database closes: a
 * close that never settled once let Node exit on an empty event loop with code 0 after
 * a failed sync. closeDb is bounded, and the exit is explicit either way.
 */
async function exit(code: number): Promise<never> {
  process.exitCode = code;
  // The runs' system metrics wait in a buffer (lib/telemetry): written before the database closes.
  if (openedDb) await withTimeout(flushMetrics(openedDb), METRICS_FLUSH_MS).catch(() => {});
  await closeDb();
  process.exit(code);
}

main().then(exit, (err: unknown) => {
  // Operator-facing errors are printed as sentences; anything else also gets its detail
  // (a database error's statement, a bug's stack), never a 36,000-character query.
  if (err instanceof AppError || err instanceof N8nError) {
    console.error(`error: ${err.message}`);
  } else {
    const { message, detail } = describeError(err);
    console.error(`error: ${message}`);
    if (detail) console.error(detail);
  }
  return exit(1);
});
