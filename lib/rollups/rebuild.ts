import { sql, type SQL } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { GRANULARITIES, type Granularity } from "@/lib/db/schema";
import { bucketStart, CHILD_GRANULARITY, granularitySql, sourceCutoffs } from "./buckets";
import { addTargets, computeHourBuckets, computeParentBuckets, inRollupTransaction, prepareTargets } from "./compute";

export interface RebuildOptions {
  clientId?: number;
  from: Date;
  to: Date;
  /** Levels to recompute, always in the order hour, day, week, month. Default: all. */
  granularities?: Granularity[];
  /** Count the buckets that would be written or deleted, then roll everything back. */
  dryRun?: boolean;
  /** Hours older than this existed in raw form only partly; default RETENTION_RAW_DAYS. */
  rawRetentionDays?: number;
}

export interface RebuildResult {
  buckets: Record<Granularity, number>;
  dryRun: boolean;
}

class DryRunRollback extends Error {
  constructor(readonly result: RebuildResult) {
    super("dry run");
  }
}

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;
const clientFilter = (clientId: number | undefined) => (clientId === undefined ? sql`` : sql` and client_id = ${clientId}`);

/** Every (client, workflow, hour) in range with production executions, LLM usage or a row. */
function hourCandidates(from: Date, to: Date, clientId: number | undefined): SQL {
  const c = clientFilter(clientId);
  return sql`select client_id, workflow_id, date_trunc('hour', started_at) as bucket_start from executions
      where is_production and started_at >= ${ts(from)} and started_at < ${ts(to)}${c}
    union all
    select client_id, workflow_id, date_trunc('hour', occurred_at) from llm_usage
      where workflow_id is not null and occurred_at >= ${ts(from)} and occurred_at < ${ts(to)}${c}
    union all
    select client_id, workflow_id, bucket_start from rollups
      where granularity = 'hour' and bucket_start >= ${ts(from)} and bucket_start < ${ts(to)}${c}`;
}

/** Every parent bucket in range that has a child row or a row of its own. */
function parentCandidates(granularity: Exclude<Granularity, "hour">, from: Date, to: Date, clientId: number | undefined): SQL {
  const g = granularitySql(granularity);
  const child = granularitySql(CHILD_GRANULARITY[granularity]);
  const c = clientFilter(clientId);
  return sql`select client_id, workflow_id, date_trunc(${g}, bucket_start) as bucket_start from rollups
      where granularity = ${child} and bucket_start >= ${ts(from)} and bucket_start < ${ts(to)}${c}
    union all
    select client_id, workflow_id, bucket_start from rollups
      where granularity = ${g} and bucket_start >= ${ts(from)} and bucket_start < ${ts(to)}${c}`;
}

/**
 * Recomputes every bucket overlapping [from, to) for one client or all, for backfill and
 * after reclassification: hours from raw executions, then days, weeks and months from the
 * level below. Existing buckets older than their sources' retention are kept as they are
 * (hours older than `rawRetentionDays`, days older than RETENTION_HOURLY_DAYS, weeks and
 * months older than RETENTION_DAILY_DAYS): their sources are partly gone. Does not touch
 * executions.rolled_up_at (a later refresh recomputes the same values).
 */
export async function rebuildRollups(db: Db, opts: RebuildOptions): Promise<RebuildResult> {
  const wanted = new Set(opts.granularities ?? GRANULARITIES);
  const dryRun = opts.dryRun ?? false;
  const cutoffs = sourceCutoffs(new Date(), {
    rawDays: opts.rawRetentionDays ?? env.RETENTION_RAW_DAYS,
    hourlyDays: env.RETENTION_HOURLY_DAYS,
    dailyDays: env.RETENTION_DAILY_DAYS,
  });

  const run = async (tx: Db): Promise<RebuildResult> => {
    const result: RebuildResult = { buckets: { hour: 0, day: 0, week: 0, month: 0 }, dryRun };
    await prepareTargets(tx);
    for (const granularity of GRANULARITIES) {
      if (!wanted.has(granularity)) continue;
      const from = bucketStart(opts.from, granularity);
      if (granularity === "hour") {
        await addTargets(tx, granularity, hourCandidates(from, opts.to, opts.clientId), cutoffs.hour);
        const counts = await computeHourBuckets(tx);
        result.buckets.hour = counts.written + counts.deleted;
      } else {
        const candidates = parentCandidates(granularity, from, opts.to, opts.clientId);
        await addTargets(tx, granularity, candidates, cutoffs[granularity]);
        const counts = await computeParentBuckets(tx, granularity);
        result.buckets[granularity] = counts.written + counts.deleted;
      }
    }
    if (dryRun) throw new DryRunRollback(result);
    return result;
  };

  try {
    return await inRollupTransaction(db, run);
  } catch (err) {
    if (err instanceof DryRunRollback) return err.result;
    throw err;
  }
}
