import { normaliseBaseUrl } from "./api-client";

/** Where a workflow opens in the n8n editor. */
export function n8nWorkflowUrl(baseUrl: string, n8nWorkflowId: string): string {
  return `${normaliseBaseUrl(baseUrl)}/workflow/${encodeURIComponent(n8nWorkflowId)}`;
}

/** Where an execution opens in the n8n editor. */
export function n8nExecutionUrl(baseUrl: string, n8nWorkflowId: string, executionId: number): string {
  return `${n8nWorkflowUrl(baseUrl, n8nWorkflowId)}/executions/${executionId}`;
}
