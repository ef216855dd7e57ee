import type { N8nNode } from "@/lib/n8n/schemas";
import { costOf } from "./cost";
import { extractLlmUsage, type ExecutionWithData } from "./extract";
import type { PriceOverride } from "./pricing";
import type { UsageRow } from "./usage-store";

/**
 * The llm_usage rows of one execution fetched with its run data: each call extracted,
 * then priced at the time it happened. Pure, like the extraction it wraps.
 */
export function usageRowsOfExecution(
  execution: ExecutionWithData,
  ctx: { clientId: number; workflowId: number | null; nodes: readonly N8nNode[]; overrides: readonly PriceOverride[] },
): { rows: UsageRow[]; warnings: string[] } {
  const { calls, warnings } = extractLlmUsage(execution, { nodes: ctx.nodes });
  const rows = calls.map((call): UsageRow => ({
    clientId: ctx.clientId,
    workflowId: ctx.workflowId,
    n8nExecutionId: Number(execution.id),
    nodeName: call.nodeName,
    provider: call.provider,
    model: call.model,
    promptTokens: call.promptTokens,
    completionTokens: call.completionTokens,
    totalTokens: call.totalTokens,
    isEstimate: call.isEstimate,
    ...costOf({ ...call, at: call.occurredAt }, ctx.overrides),
    reason: null,
    source: "n8n",
    idempotencyKey: call.idempotencyKey,
    occurredAt: call.occurredAt,
  }));
  return { rows, warnings };
}
