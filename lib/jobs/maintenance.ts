import { subDays } from "date-fns";
import type { Db } from "@/lib/db/database";
import { GRANULARITIES, type Granularity, type SyncTrigger } from "@/lib/core/vocabulary";
import { env } from "@/lib/core/env";
import { pendingRollupClients, refreshClients, rebuildRollups, runRetention } from "@/lib/ingest/rollups";
import { recordRun } from "@/lib/runs/record";
import { listActiveClientIds } from "@/lib/ingest/collect";
import { recomputeUsageCosts } from "@/lib/ingest/llm/recompute";
import { runSystemMetricsRetention } from "@/lib/telemetry/retention";

/**
 * Scheduled rollup: folds in anything a sync left dirty (a sync that failed between
 * storing and rolling up) for every client. The buckets themselves are kept current by
 * each sync; this is the safety net the daily/weekly/monthly crons run.
 */
export async function runRollupJob(db: Db, opts: { trigger: SyncTrigger; clientId?: number; runId?: number }) {
  const meta = { function: "rollup" as const, trigger: opts.trigger, clientId: opts.clientId, runId: opts.runId };
  return recordRun(db, meta, async () => {
    const ids = opts.clientId ? [opts.clientId] : await clientsToRollUp(db);
    const started = Date.now();
    const r = await refreshClients(db, ids);
    const buckets = r.hourBuckets + r.dayBuckets + r.weekBuckets + r.monthBuckets;
    return { phaseMs: { rollup: Date.now() - started }, details: { clients: ids.length, buckets } };
  });
}

/**
 * Active clients, and any other client with keys on the dirty-bucket queue (ingested LLM
 * usage, a reclassification): an inactive client is never synced, so nothing else would
 * fold those in.
 */
async function clientsToRollUp(db: Db): Promise<number[]> {
  const [active, pending] = await Promise.all([listActiveClientIds(db), pendingRollupClients(db)]);
  return [...new Set([...active, ...pending])].sort((a, b) => a - b);
}

export async function runRetentionJob(db: Db, opts: { trigger: SyncTrigger; now?: Date; runId?: number }) {
  return recordRun(db, { function: "retention", trigger: opts.trigger, runId: opts.runId }, async () => {
    const result = await runRetention(db, {
      now: opts.now,
      rawDays: env.RETENTION_RAW_DAYS,
      hourlyDays: env.RETENTION_HOURLY_DAYS,
      dailyDays: env.RETENTION_DAILY_DAYS,
      weeklyDays: env.RETENTION_WEEKLY_DAYS,
    });
    const systemMetrics = await runSystemMetricsRetention(db, {
      now: opts.now,
      rawDays: env.RETENTION_SYSTEM_METRICS_DAYS,
      hourlyDays: env.RETENTION_HOURLY_DAYS,
    });
    return { details: { ...result, systemMetrics } };
  });
}

export interface BackfillOptions {
  trigger: SyncTrigger;
  clientId?: number;
  days: number;
  dryRun?: boolean;
  granularities?: Granularity[];
  /** First re-price the range's LLM usage with the current prices (explicit costs kept). */
  recomputeCosts?: boolean;
  now?: Date;
}

/**
 * Rebuilds the rollups of the last `days` days from the level below (hours from raw
 * rows). With recomputeCosts, LLM usage of the range is re-priced first, so the rebuilt
 * buckets carry the new costs; a dry run then only counts the rows that would change.
 */
export async function runBackfillJob(db: Db, opts: BackfillOptions) {
  return recordRun(db, { function: "backfill", trigger: opts.trigger, clientId: opts.clientId }, async () => {
    const to = opts.now ?? new Date();
    const from = subDays(to, opts.days);
    const started = Date.now();
    const costs = opts.recomputeCosts
      ? await recomputeUsageCosts(db, { clientId: opts.clientId, from, to, dryRun: opts.dryRun ?? false })
      : undefined;
    const result = await rebuildRollups(db, {
      clientId: opts.clientId,
      from,
      to,
      granularities: opts.granularities ?? [...GRANULARITIES],
      dryRun: opts.dryRun ?? false,
    });
    return { phaseMs: { rollup: Date.now() - started }, details: { ...result, ...(costs ? { costs } : {}) } };
  });
}
