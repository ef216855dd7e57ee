import type { N8nExecution, N8nNode } from "@/lib/n8n/schemas";
import { at, isRecord, type JsonRecord } from "@/lib/core/json";
import { modelFromParameters, modelFromRun } from "./model-name";
import { isChatModelType, providerOfNodeType } from "./node-types";
import { hasTokenUsage, parseTokenUsage } from "./token-usage";

export { isAiWorkflow } from "./node-types";

/** One call to a language model, as n8n recorded it in an execution's run data. */
export interface LlmCall {
  nodeName: string;
  /** From the node type; null where the type names no known provider. */
  provider: string | null;
  /** "unknown" where neither the node nor the run names one. */
  model: string;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** n8n counted the tokens itself because the provider reported none. */
  isEstimate: boolean;
  occurredAt: Date;
  /** Stable per node run and item, so extracting an execution again never double counts. */
  idempotencyKey: string;
}

export interface LlmExtraction {
  calls: LlmCall[];
  /** One line per node run or item that looked like usage but could not be read. */
  warnings: string[];
}

/** An execution as the n8n client returns it, fetched with includeData=true. */
export type ExecutionWithData = Pick<N8nExecution, "id" | "startedAt" | "data">;

/** The workflow's nodes; run data is keyed by node name, the type lives here. */
export interface WorkflowNodes {
  nodes: readonly N8nNode[];
}

/** n8n records a run's start as epoch ms; tolerate an ISO string as well. */
function runStart(run: JsonRecord): Date | null {
  const value = run.startTime;
  if (typeof value !== "number" && typeof value !== "string") return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

interface UsageItem {
  connection: string;
  outputIndex: number;
  itemIndex: number;
  json: JsonRecord;
}

/**
 * Output items of one run that carry token usage. Chat models emit on
 * `ai_languageModel`, but any connection is walked so that other nodes reporting usage
 * are counted too. Items of a chat model that are not `{json: {...}}` are reported.
 */
function usageItems(run: JsonRecord, strict: boolean, warn: (where: string, why: string) => void): UsageItem[] {
  const found: UsageItem[] = [];
  if (!isRecord(run.data)) return found;
  for (const [connection, outputs] of Object.entries(run.data)) {
    if (!Array.isArray(outputs)) {
      if (strict) warn(connection, "output is not a list");
      continue;
    }
    outputs.forEach((items: unknown, outputIndex) => {
      // n8n writes null for an output that produced nothing.
      if (items === null) return;
      if (!Array.isArray(items)) {
        if (strict) warn(`${connection}[${outputIndex}]`, "items are not a list");
        return;
      }
      items.forEach((item: unknown, itemIndex) => {
        const json = at(item, "json");
        if (!isRecord(json)) {
          if (strict) warn(`${connection}[${outputIndex}][${itemIndex}]`, "item has no json object");
          return;
        }
        if (hasTokenUsage(json)) found.push({ connection, outputIndex, itemIndex, json });
      });
    });
  }
  return found;
}

/**
 * The LLM calls recorded in one execution's run data. Pure and total: malformed or
 * partial data yields warnings for the affected runs and items, never an exception, so
 * one odd execution cannot stop a client's sync.
 */
export function extractLlmUsage(execution: ExecutionWithData, workflow: WorkflowNodes): LlmExtraction {
  const calls: LlmCall[] = [];
  const warnings: string[] = [];
  // Prefixed so warnings stay traceable once a sync collects them across executions.
  const warn = (message: string) => warnings.push(`execution ${execution.id}: ${message}`);
  const nodesByName = new Map(workflow.nodes.map((node) => [node.name, node]));

  const runData = at(execution.data, "resultData", "runData");
  if (!isRecord(runData)) {
    // Without run data nothing can be read; only worth saying if calls were expected.
    if (workflow.nodes.some((node) => isChatModelType(node.type))) {
      warn("no run data (fetched without includeData?)");
    }
    return { calls, warnings };
  }

  for (const [nodeName, runs] of Object.entries(runData)) {
    const node = nodesByName.get(nodeName);
    // Only chat-model nodes are expected to report usage; elsewhere odd shapes are not ours.
    const isChatModel = isChatModelType(node?.type);
    if (!Array.isArray(runs)) {
      if (isChatModel) warn(`${nodeName}: runs are not a list`);
      continue;
    }

    runs.forEach((run: unknown, runIndex) => {
      const where = `${nodeName} run ${runIndex}`;
      if (!isRecord(run)) {
        if (isChatModel) warn(`${where}: run is not an object`);
        return;
      }
      const before = warnings.length;
      const items = usageItems(run, isChatModel, (place, why) => warn(`${where} ${place}: ${why}`));
      // A failed call has no output; n8n records no usage for it, so nothing is missing.
      // A run already reported as malformed is not reported twice.
      if (isChatModel && items.length === 0 && run.executionStatus !== "error" && warnings.length === before) {
        warn(`${where}: no token usage in its output`);
      }

      for (const item of items) {
        const itemWhere = `${where} ${item.connection}[${item.outputIndex}][${item.itemIndex}]`;
        const usage = parseTokenUsage(item.json);
        if (!usage.ok) {
          warn(`${itemWhere}: ${usage.reason}`);
          continue;
        }
        const occurredAt = runStart(run) ?? execution.startedAt;
        if (!occurredAt) {
          warn(`${itemWhere}: neither the run nor the execution has a start time`);
          continue;
        }
        calls.push({
          nodeName,
          provider: providerOfNodeType(node?.type),
          model: modelFromParameters(node?.parameters) ?? modelFromRun(run, item.json) ?? "unknown",
          ...usage.usage,
          occurredAt,
          idempotencyKey: [
            "n8n",
            execution.id,
            nodeName,
            runIndex,
            item.connection,
            item.outputIndex,
            item.itemIndex,
          ].join(":"),
        });
      }
    });
  }
  return { calls, warnings };
}
