import { count, eq } from "drizzle-orm";
import type { Db } from "@/lib/db/database";
import { executions, workflows } from "@/lib/db/schema";
import { getClientOrThrow } from "@/lib/clients/queries";
import { classifyExecution, compileRules, type Classification } from "@/lib/ingest/classify/classify";
import { parseFilterRules, storedFilterRules, type FilterRules } from "@/lib/clients/rules";

export interface ReasonCount {
  /** `manual`, `tag:dev`, `pattern:<p>`, `test-name:<word>`. */
  reason: string;
  executions: number;
  /** Stored workflows whose non-manual runs would be excluded for this reason. */
  workflows: number;
}

export interface WorkflowChange {
  workflowId: number;
  name: string;
  /** The reason its non-manual runs would be excluded under the new rules; null = production. */
  reason: string | null;
  newlyExcluded: number;
  newlyIncluded: number;
}

/** What a set of rules would do to the stored history, compared with what is stored now. */
export interface RulesPreview {
  rules: FilterRules;
  workflows: { total: number; excluded: number; currentlyExcluded: number };
  executions: {
    total: number;
    excluded: number;
    included: number;
    currentlyExcluded: number;
    newlyExcluded: number;
    newlyIncluded: number;
  };
  /** Exclusions under the new rules, by reason, most executions first. */
  reasons: ReasonCount[];
  /** Workflows whose stored executions would change class, most changes first. */
  changes: WorkflowChange[];
  /** How many workflows change in all (`changes` holds at most 50). */
  changedWorkflows: number;
}

const MAX_CHANGES = 50;

/**
 * What `rules` would exclude among a client's stored workflows and executions, against
 * what is stored now. Set-based: the database groups executions by (workflow, mode,
 * current class), a few hundred rows even for millions of executions, and the pure
 * classifier decides each group once. Nothing is written.
 */
export async function previewRules(db: Db, clientId: number, input: unknown): Promise<RulesPreview> {
  const rules = parseFilterRules(input);
  const client = await getClientOrThrow(db, clientId);
  const proposed = compileRules(rules);
  const current = compileRules(storedFilterRules(client.filterRules));

  const [workflowRows, groups] = await Promise.all([
    db
      .select({ id: workflows.id, name: workflows.name, tags: workflows.tags })
      .from(workflows)
      .where(eq(workflows.clientId, clientId)),
    db
      .select({
        workflowId: executions.workflowId,
        mode: executions.mode,
        isProduction: executions.isProduction,
        n: count(),
      })
      .from(executions)
      .where(eq(executions.clientId, clientId))
      .groupBy(executions.workflowId, executions.mode, executions.isProduction),
  ]);

  const reasons = new Map<string, ReasonCount>();
  const reasonOf = (reason: string) => {
    let entry = reasons.get(reason);
    if (!entry) reasons.set(reason, (entry = { reason, executions: 0, workflows: 0 }));
    return entry;
  };

  // A workflow's class for its non-manual runs: what it is, whatever runs it has stored.
  const byWorkflow = new Map<number, WorkflowChange & { tags: string[] }>();
  const wfTotals = { total: workflowRows.length, excluded: 0, currentlyExcluded: 0 };
  for (const wf of workflowRows) {
    const next = classifyExecution({ mode: "trigger" }, wf, proposed);
    const now = classifyExecution({ mode: "trigger" }, wf, current);
    if (!next.isProduction) {
      wfTotals.excluded += 1;
      reasonOf(next.exclusionReason ?? "excluded").workflows += 1;
    }
    if (!now.isProduction) wfTotals.currentlyExcluded += 1;
    byWorkflow.set(wf.id, {
      workflowId: wf.id,
      name: wf.name,
      tags: wf.tags,
      reason: next.exclusionReason,
      newlyExcluded: 0,
      newlyIncluded: 0,
    });
  }

  const ex = { total: 0, excluded: 0, included: 0, currentlyExcluded: 0, newlyExcluded: 0, newlyIncluded: 0 };
  // Groups share a classification per (workflow, manual or not): decide it once.
  const decided = new Map<string, Classification>();
  for (const g of groups) {
    const wf = byWorkflow.get(g.workflowId);
    if (!wf) continue; // cannot happen (foreign key), but never guess a class
    const key = `${g.workflowId}:${g.mode === "manual"}`;
    let c = decided.get(key);
    if (!c) decided.set(key, (c = classifyExecution({ mode: g.mode }, wf, proposed)));
    ex.total += g.n;
    if (!g.isProduction) ex.currentlyExcluded += g.n;
    if (c.isProduction) {
      ex.included += g.n;
      if (!g.isProduction) {
        ex.newlyIncluded += g.n;
        wf.newlyIncluded += g.n;
      }
    } else {
      ex.excluded += g.n;
      reasonOf(c.exclusionReason ?? "excluded").executions += g.n;
      if (g.isProduction) {
        ex.newlyExcluded += g.n;
        wf.newlyExcluded += g.n;
      }
    }
  }

  const changes = [...byWorkflow.values()]
    .filter((w) => w.newlyExcluded > 0 || w.newlyIncluded > 0)
    .sort(
      (a, b) => b.newlyExcluded + b.newlyIncluded - (a.newlyExcluded + a.newlyIncluded) || a.name.localeCompare(b.name),
    )
    .map(({ tags: _tags, ...w }) => w);
  return {
    rules,
    workflows: wfTotals,
    executions: ex,
    reasons: [...reasons.values()].sort(
      (a, b) => b.executions - a.executions || b.workflows - a.workflows || a.reason.localeCompare(b.reason),
    ),
    changes: changes.slice(0, MAX_CHANGES),
    changedWorkflows: changes.length,
  };
}
