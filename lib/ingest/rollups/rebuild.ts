import { sql, type SQL } from "drizzle-orm";
import { ts, type Db } from "@/lib/db/database";
import { GRANULARITIES, type Granularity } from "@/lib/core/vocabulary";
import {
  addBuckets,
  bucketEndSql,
  bucketStart,
  bucketStartSql,
  CHILD_GRANULARITY,
  granularitySql,
  zoneSpanJoin,
} from "./buckets";
import { computeHourBuckets, computeParentBuckets } from "./compute";
import { addTargets, prepareTargets } from "./targets";
import { inRollupTransaction } from "./transaction";

export interface RebuildOptions {
  clientId?: number;
  from: Date;
  to: Date;
  /** Levels to recompute, always in the order hour, day, week, month. Default: all. */
  granularities?: Granularity[];
  /** Count the buckets that would be written or deleted, then roll everything back. */
  dryRun?: boolean;
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

const clientFilter = (clientId: number | undefined, prefix = "") =>
  clientId === undefined ? sql`` : sql` and ${sql.raw(prefix)}client_id = ${clientId}`;

/** Rows of `table` at `granularity` in range: existing buckets (maybe stale) and archive rows. */
function storedBuckets(
  table: "rollups" | "rollup_archive",
  granularity: Granularity,
  from: Date,
  to: Date,
  c: SQL,
): SQL {
  return sql`select client_id, workflow_id, bucket_start from ${sql.raw(table)}
      where granularity = ${granularitySql(granularity)} and bucket_start >= ${ts(from)} and bucket_start < ${ts(to)}${c}`;
}

/** Every (client, workflow, hour) in range with production executions, LLM usage, a row or an archive row. */
function hourCandidates(from: Date, to: Date, clientId: number | undefined): SQL {
  const c = clientFilter(clientId);
  return sql`select client_id, workflow_id, date_trunc('hour', started_at) as bucket_start from executions
      where is_production and started_at >= ${ts(from)} and started_at < ${ts(to)}${c}
    union all
    select client_id, workflow_id, date_trunc('hour', occurred_at) from llm_usage
      where workflow_id is not null and occurred_at >= ${ts(from)} and occurred_at < ${ts(to)}${c}
    union all ${storedBuckets("rollups", "hour", from, to, c)}
    union all ${storedBuckets("rollup_archive", "hour", from, to, c)}`;
}

/**
 * Every parent bucket overlapping [from, to) that has a child row, a row of its own or an
 * archive row. A client's local bucket starts up to a day before or after the UTC one
 * (calendar.ts): rows are read from a day before the UTC bucket, and the buckets that end
 * by `from` are dropped.
 */
function parentCandidates(
  granularity: Exclude<Granularity, "hour">,
  from: Date,
  to: Date,
  clientId: number | undefined,
): SQL {
  const child = granularitySql(CHILD_GRANULARITY[granularity]);
  const c = clientFilter(clientId);
  const wide = addBuckets(bucketStart(from, granularity), "day", -1);
  return sql`select p.client_id, p.workflow_id, p.bucket_start from (
      select r.client_id, r.workflow_id, ${bucketStartSql(granularity, sql`r.bucket_start`)} as bucket_start
        from rollups r ${zoneSpanJoin(sql`r.client_id`, sql`r.bucket_start`)}
        where r.granularity = ${child} and r.bucket_start >= ${ts(wide)} and r.bucket_start < ${ts(to)}${clientFilter(clientId, "r.")}
      union all ${storedBuckets("rollups", granularity, wide, to, c)}
      union all ${storedBuckets("rollup_archive", granularity, wide, to, c)}) p
    ${zoneSpanJoin(sql`p.client_id`, sql`p.bucket_start`)}
    where ${bucketEndSql(granularity, sql`p.bucket_start`)} > ${ts(from)}`;
}

/**
 * Recomputes every bucket overlapping [from, to) for one client or all, for backfill and
 * after a re-pricing: hours from their archive and raw rows, then days, weeks and months
 * from their archive and the level below. Buckets of any age are recomputed: the archive
 * holds what retention deleted, so the result equals what the buckets should count. Does
 * not drain the dirty-bucket queue (a later refresh recomputes the same values).
 */
export async function rebuildRollups(db: Db, opts: RebuildOptions): Promise<RebuildResult> {
  const wanted = new Set(opts.granularities ?? GRANULARITIES);
  const dryRun = opts.dryRun ?? false;

  const run = async (tx: Db): Promise<RebuildResult> => {
    const result: RebuildResult = { buckets: { hour: 0, day: 0, week: 0, month: 0 }, dryRun };
    await prepareTargets(tx);
    for (const granularity of GRANULARITIES) {
      if (!wanted.has(granularity)) continue;
      if (granularity === "hour") {
        await addTargets(tx, granularity, hourCandidates(bucketStart(opts.from, "hour"), opts.to, opts.clientId));
        const counts = await computeHourBuckets(tx);
        result.buckets.hour = counts.written + counts.deleted;
      } else {
        await addTargets(tx, granularity, parentCandidates(granularity, opts.from, opts.to, opts.clientId));
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
