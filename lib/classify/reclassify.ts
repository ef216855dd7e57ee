import { and, eq, inArray, ne, or, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { executions, workflows, type SyncTrigger } from "@/lib/db/schema";
import { getClientOrThrow } from "@/lib/clients/queries";
import { refreshRollups } from "@/lib/rollups";
import { recordRun } from "@/lib/runs/record";
import { withClientLock } from "@/lib/runs/client-lock";
import { classifyExecution, compileRules } from "./classify";
import { storedFilterRules } from "./rules";

/**
 * Re-applies the client's rules to stored executions of the given workflows (all when
 * omitted). Classification depends only on the workflow and on whether the run was
 * manual, so each workflow needs two set-based updates, not a pass over its rows.
 * Changed rows are marked for rollup (rolled_up_at = null).
 */
export async function reclassifyWorkflows(
  db: Db,
  opts: { clientId: number; filterRules: unknown; workflowIds?: number[] },
): Promise<{ changed: number }> {
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
  for (const wf of rows) {
    for (const manual of [true, false]) {
      const c = classifyExecution({ mode: manual ? "manual" : "trigger" }, wf, compiled);
      const updated = await db
        .update(executions)
        .set({
          isProduction: c.isProduction,
          exclusionReason: c.exclusionReason,
          rolledUpAt: null,
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
  return { changed };
}

/** Called when a client's rules change: re-classifies its history and rebuilds the touched buckets. */
export function reclassifyClient(db: Db, opts: { clientId: number; trigger: SyncTrigger; runId?: number }) {
  return withClientLock(opts.clientId, () => reclassifyClientNow(db, opts));
}

async function reclassifyClientNow(db: Db, opts: { clientId: number; trigger: SyncTrigger; runId?: number }) {
  const client = await getClientOrThrow(db, opts.clientId);
  return recordRun(db, { function: "reclassify", trigger: opts.trigger, clientId: client.id, runId: opts.runId }, async () => {
    const started = Date.now();
    const { changed } = await reclassifyWorkflows(db, { clientId: client.id, filterRules: client.filterRules });
    const classifyMs = Date.now() - started;
    const rollup = await refreshRollups(db, { clientId: client.id });
    return {
      executionsUpdated: changed,
      phaseMs: { classify: classifyMs, rollup: Date.now() - started - classifyMs },
      details: { ...rollup },
    };
  });
}
