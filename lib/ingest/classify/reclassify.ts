import { and, eq, inArray, ne, or, sql } from "drizzle-orm";
import { queryRows, type Db } from "@/lib/db/database";
import { executions, workflows } from "@/lib/db/schema";
import { type SyncTrigger } from "@/lib/core/vocabulary";
import { getClientOrThrow } from "@/lib/clients/queries";
import { refreshRollups } from "@/lib/ingest/rollups";
import { recordRun } from "@/lib/runs/record";
import { withClientLock } from "@/lib/runs/client-lock";
import { classifyExecution, compileRules } from "./classify";
import { storedFilterRules } from "@/lib/clients/rules";

export interface ReclassifyResult {
  /** Stored executions whose class changed; triggers queue their buckets for refresh. */
  changed: number;
  /**
   * Executions the rollups still count as production although the current rules exclude
   * their workflow, and that cannot be re-counted: retention deleted their raw rows and
   * only their archived figures remain. 0 when the rollups agree with the rules.
   */
  notRecounted: number;
}

/**
 * Archived executions of the given workflows: every execution whose raw row retention
 * deleted sits in exactly one hour, day or month archive row (weeks repeat the months).
 */
async function archivedExecutions(db: Db, clientId: number, workflowIds: number[]): Promise<number> {
  if (workflowIds.length === 0) return 0;
  const [row] = await queryRows<{ n: number | string }>(
    db,
    sql`select coalesce(sum(total), 0)::bigint as n from rollup_archive
      where client_id = ${clientId} and granularity in ('hour', 'day', 'month')
        and workflow_id = any (${`{${workflowIds.join(",")}}`}::int[])`,
  );
  return Number(row.n);
}

/**
 * Re-applies the client's rules to stored executions of the given workflows (all when
 * omitted). Classification depends only on the workflow and on whether the run was
 * manual, so each workflow needs two set-based updates, not a pass over its rows. The
 * triggers on executions queue the old and new buckets of every changed row.
 *
 * Archived executions (production when archived) cannot be re-classified: for workflows
 * whose triggered runs the rules now exclude, they are reported as `notRecounted`.
 */
export async function reclassifyWorkflows(
  db: Db,
  opts: { clientId: number; filterRules: unknown; workflowIds?: number[] },
): Promise<ReclassifyResult> {
  const compiled = compileRules(storedFilterRules(opts.filterRules));
  const rows = await db
    .select({ id: workflows.id, name: workflows.name, tags: workflows.tags })
    .from(workflows)
    .where(
      and(
        eq(workflows.clientId, opts.clientId),
        opts.workflowIds ? inArray(workflows.id, opts.workflowIds) : undefined,
      ),
    );

  let changed = 0;
  const excluded: number[] = [];
  for (const wf of rows) {
    if (!classifyExecution({ mode: "trigger" }, wf, compiled).isProduction) excluded.push(wf.id);
    for (const manual of [true, false]) {
      const c = classifyExecution({ mode: manual ? "manual" : "trigger" }, wf, compiled);
      const updated = await db
        .update(executions)
        .set({
          isProduction: c.isProduction,
          exclusionReason: c.exclusionReason,
          updatedAt: sql`now()`,
        })
        .where(
          and(
            eq(executions.workflowId, wf.id),
            manual ? eq(executions.mode, "manual") : ne(executions.mode, "manual"),
            or(
              ne(executions.isProduction, c.isProduction),
              sql`${executions.exclusionReason} is distinct from ${c.exclusionReason}`,
            ),
          ),
        )
        .returning({ id: executions.id });
      changed += updated.length;
    }
  }
  return { changed, notRecounted: await archivedExecutions(db, opts.clientId, excluded) };
}

/** Called when a client's rules change: re-classifies its history and rebuilds the touched buckets. */
export function reclassifyClient(db: Db, opts: { clientId: number; trigger: SyncTrigger; runId?: number }) {
  return withClientLock(opts.clientId, () => reclassifyClientNow(db, opts));
}

async function reclassifyClientNow(db: Db, opts: { clientId: number; trigger: SyncTrigger; runId?: number }) {
  const client = await getClientOrThrow(db, opts.clientId);
  return recordRun(
    db,
    { function: "reclassify", trigger: opts.trigger, clientId: client.id, runId: opts.runId },
    async () => {
      const started = Date.now();
      const { changed, notRecounted } = await reclassifyWorkflows(db, {
        clientId: client.id,
        filterRules: client.filterRules,
      });
      const classifyMs = Date.now() - started;
      const rollup = await refreshRollups(db, { clientId: client.id });
      return {
        executionsUpdated: changed,
        phaseMs: { classify: classifyMs, rollup: Date.now() - started - classifyMs },
        details: { ...rollup, notRecounted },
      };
    },
  );
}
