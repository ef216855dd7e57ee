/**
 * The benchmark's n8n, in its own process so the collector's memory is measured alone.
 * Serves about BENCH_EXECUTIONS generated executions and prints `{url, listed}` once ready.
 */
import { GeneratedSource, startFakeN8n } from "@/lib/n8n/fake";

const executions = Number(process.env.BENCH_EXECUTIONS ?? 200_000);
const perHour = 6_000;
const epoch = new Date("2026-01-01T00:00:00Z");
// A fixed clock: every execution is finished and listed, and the count is exact.
const now = new Date(epoch.getTime() + (executions / perHour) * 3_600_000 + 3_600_000);
const source = new GeneratedSource({
  seed: 7,
  executionsPerHour: perHour,
  historyDays: 365,
  epoch,
  dailyPattern: false,
  now: () => now,
});
const server = await startFakeN8n({ apiKey: "bench-key", source });
process.stdout.write(`${JSON.stringify({ url: server.url, listed: source.countListed(now) })}\n`);
process.on("SIGTERM", () => void server.close().then(() => process.exit(0)));
