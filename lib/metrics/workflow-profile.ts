/**
 * What the workflow drill-down says about a workflow beside its figures: its state and
 * tags as n8n last listed them, the time it saves per run, where it opens in n8n, and
 * whether its runs count as production and why (the rules preview's explanation, from
 * the classifier itself).
 */
import type { Db } from "@/lib/db/database";
import { getClientOrThrow, getWorkflowOrThrow } from "@/lib/clients/queries";
import { storedFilterRules } from "@/lib/clients/rules";
import { compileRules } from "@/lib/ingest/classify";
import { explainWorkflow, type WorkflowVerdict } from "@/lib/jobs/preview-rules";
import { n8nWorkflowUrl } from "@/lib/n8n/editor-urls";

export interface WorkflowProfile {
  clientId: number;
  workflowId: number;
  n8nWorkflowId: string;
  name: string;
  active: boolean;
  archived: boolean;
  tags: string[];
  /** The workflow's own setting in n8n (timeSavedPerExecution); null when not set. */
  minutesSavedPerExecution: number | null;
  n8nUrl: string;
  /** How its automatic runs are classified, and by which rule. */
  verdict: WorkflowVerdict;
  /** Whether runs started by hand from the editor are excluded (the client's rules). */
  manualExcluded: boolean;
}

/** 404 (AppError) when the client or the workflow is unknown, or the workflow is another client's. */
export async function getWorkflowProfile(db: Db, clientId: number, workflowId: number): Promise<WorkflowProfile> {
  const client = await getClientOrThrow(db, clientId);
  const wf = await getWorkflowOrThrow(db, clientId, workflowId);
  const rules = storedFilterRules(client.filterRules);
  return {
    clientId,
    workflowId: wf.id,
    n8nWorkflowId: wf.n8nWorkflowId,
    name: wf.name,
    active: wf.active,
    archived: wf.isArchived,
    tags: wf.tags,
    minutesSavedPerExecution: wf.minutesSavedPerExecution,
    n8nUrl: n8nWorkflowUrl(client.n8nBaseUrl, wf.n8nWorkflowId),
    verdict: explainWorkflow({ id: wf.id, name: wf.name, tags: wf.tags }, compileRules(rules)),
    manualExcluded: rules.excludeManual,
  };
}
