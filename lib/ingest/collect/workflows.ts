import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/database";
import { workflows } from "@/lib/db/schema";
import type { N8nWorkflow } from "@/lib/n8n";
import { SCHEDULE_TRIGGER_TYPES, type ScheduleTriggerNode } from "@/lib/core/vocabulary";

export interface StoredWorkflow {
  id: number;
  n8nWorkflowId: string;
  name: string;
  tags: string[];
}

/** Workflows of one client by n8n id: what classification needs for each execution. */
export type WorkflowIndex = Map<string, StoredWorkflow>;

const sameTags = (a: string[], b: string[]) => a.length === b.length && a.every((t, i) => t === b[i]);

/**
 * Upserts one page of n8n workflows. Returns the stored rows and the ids of those whose
 * name or tags changed, since classification depends on both and their history must be
 * re-classified.
 */
export async function upsertWorkflows(
  db: Db,
  clientId: number,
  page: N8nWorkflow[],
): Promise<{ rows: StoredWorkflow[]; changedIds: number[] }> {
  if (page.length === 0) return { rows: [], changedIds: [] };
  const before = await db
    .select({ n8nWorkflowId: workflows.n8nWorkflowId, name: workflows.name, tags: workflows.tags })
    .from(workflows)
    .where(
      and(
        eq(workflows.clientId, clientId),
        inArray(
          workflows.n8nWorkflowId,
          page.map((w) => w.id),
        ),
      ),
    );
  const previous = new Map(before.map((w) => [w.n8nWorkflowId, w]));

  const values = page.map((w) => ({
    clientId,
    n8nWorkflowId: w.id,
    name: w.name,
    active: w.active,
    isArchived: w.isArchived,
    tags: w.tags.map((t) => t.name).sort(),
    nodeTypes: [...new Set(w.nodes.map((n) => n.type))].sort(),
    scheduleTriggers: scheduleTriggersOf(w),
    // n8n writes "DEFAULT" for "the instance's zone", which its public API does not tell.
    timeZone: w.settings?.timezone && w.settings.timezone !== "DEFAULT" ? w.settings.timezone : null,
    minutesSavedPerExecution: w.settings?.timeSavedPerExecution ?? null,
    n8nCreatedAt: w.createdAt,
    n8nUpdatedAt: w.updatedAt,
    lastSyncedAt: new Date(),
  }));
  const rows = await db
    .insert(workflows)
    .values(values)
    .onConflictDoUpdate({
      target: [workflows.clientId, workflows.n8nWorkflowId],
      set: {
        name: sql`excluded.name`,
        active: sql`excluded.active`,
        isArchived: sql`excluded.is_archived`,
        tags: sql`excluded.tags`,
        nodeTypes: sql`excluded.node_types`,
        scheduleTriggers: sql`excluded.schedule_triggers`,
        timeZone: sql`excluded.time_zone`,
        minutesSavedPerExecution: sql`excluded.minutes_saved_per_execution`,
        n8nCreatedAt: sql`excluded.n8n_created_at`,
        n8nUpdatedAt: sql`excluded.n8n_updated_at`,
        lastSyncedAt: sql`excluded.last_synced_at`,
      },
    })
    .returning({
      id: workflows.id,
      n8nWorkflowId: workflows.n8nWorkflowId,
      name: workflows.name,
      tags: workflows.tags,
    });

  const changedIds = rows
    .filter((r) => {
      const old = previous.get(r.n8nWorkflowId);
      return old !== undefined && (old.name !== r.name || !sameTags(old.tags, r.tags));
    })
    .map((r) => r.id);
  return { rows, changedIds };
}

/**
 * Executions can name a workflow that the list no longer returns (deleted in n8n). They
 * are kept, under a placeholder workflow, rather than dropped.
 */
export async function ensureWorkflows(db: Db, clientId: number, index: WorkflowIndex, n8nIds: string[]) {
  const missing = [...new Set(n8nIds)].filter((id) => !index.has(id));
  if (missing.length === 0) return;
  await db
    .insert(workflows)
    .values(missing.map((id) => ({ clientId, n8nWorkflowId: id, name: `Deleted workflow ${id}` })))
    .onConflictDoNothing();
  const rows = await db
    .select({ id: workflows.id, n8nWorkflowId: workflows.n8nWorkflowId, name: workflows.name, tags: workflows.tags })
    .from(workflows)
    .where(and(eq(workflows.clientId, clientId), inArray(workflows.n8nWorkflowId, missing)));
  for (const r of rows) index.set(r.n8nWorkflowId, r);
}

/** The workflow's schedule trigger nodes, kept whole: the missed-schedule rule reads their rules later. */
function scheduleTriggersOf(w: N8nWorkflow): ScheduleTriggerNode[] {
  return w.nodes
    .filter((n) => (SCHEDULE_TRIGGER_TYPES as readonly string[]).includes(n.type))
    .map((n) => ({ name: n.name, type: n.type, parameters: n.parameters ?? {}, disabled: n.disabled === true }));
}
