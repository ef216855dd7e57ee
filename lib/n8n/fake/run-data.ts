import type { ExecutionStatus } from "@/lib/core/vocabulary";
import { between, type Rand } from "./random";
import type { FakeNode } from "./types";

/**
 * The `data` of an execution fetched with includeData=true, shaped like n8n's:
 * `resultData.runData[nodeName][i]` per node run, `resultData.error` for failures.
 *
 * Chat-model nodes are sub-nodes: as in n8n (N8nLlmTracing), their output sits under
 * the `ai_languageModel` connection, not `main`, and one node may run several times in
 * an execution (an agent calling its model in a loop). Their JSON carries `tokenUsage`,
 * or `tokenUsageEstimate` when the provider reported no usage.
 */
export interface RunDataOptions {
  nodes: FakeNode[];
  status: ExecutionStatus;
  /** Epoch ms. */
  startedAt: number;
  durationMs: number;
  rand: Rand;
  /** The failing node and error of an error execution (default: a random node). */
  error?: FakeNodeError;
  /** Epoch ms the execution waits until (status waiting); runs stop at the Wait node. */
  waitTill?: number | null;
}

/**
 * A node's error as a catalog describes it. n8n raises NodeApiError for a service's
 * answer (with its HTTP code and a description) and NodeOperationError for the node's own
 * checks; `type` defaults to NodeOperationError.
 */
export interface FakeNodeError {
  node: string;
  message: string;
  type?: "NodeApiError" | "NodeOperationError";
  httpCode?: string;
  description?: string;
}

const DEFAULT_MESSAGE = "Something went wrong";
/** n8n's message when it recovers an execution whose process died (WorkflowCrashedError). */
const CRASHED_MESSAGE = "Workflow did not finish, possible out-of-memory issue";

/**
 * The error as n8n writes it to `resultData.error` and to the failing node's run: the
 * error's own fields spread into an object, with its message and stack (workflow-execute.ts).
 */
function nodeErrorJson(node: FakeNode, error: FakeNodeError | undefined, timestamp: number) {
  const name = error?.type ?? "NodeOperationError";
  const message = error?.message ?? DEFAULT_MESSAGE;
  return {
    level: name === "NodeApiError" ? "warning" : "error",
    tags: {},
    description: error?.description ?? null,
    context: {},
    timestamp,
    functionality: "regular",
    name,
    node: {
      parameters: node.parameters ?? {},
      type: node.type,
      typeVersion: node.typeVersion ?? 1,
      position: [440, 300],
      id: `${node.name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-0001`,
      name: node.name,
    },
    ...(name === "NodeApiError" ? { messages: [], httpCode: error?.httpCode ?? null } : {}),
    message,
    stack: `${name}: ${message}\n    at ExecuteContext.execute (/usr/local/lib/node_modules/n8n/node_modules/n8n-nodes-base/dist/nodes/${node.type.split(".").pop()}.node.js:1:1)`,
  };
}

function crashedErrorJson(timestamp: number) {
  return {
    level: "error",
    tags: {},
    context: {},
    timestamp,
    functionality: "regular",
    name: "WorkflowCrashedError",
    message: CRASHED_MESSAGE,
    stack: `WorkflowCrashedError: ${CRASHED_MESSAGE}\n    at ExecutionRecoveryService.amend (/usr/local/lib/node_modules/n8n/dist/executions/execution-recovery.service.js:1:1)`,
  };
}

const isChatModel = (n: FakeNode) => n.type.startsWith("@n8n/n8n-nodes-langchain.lmChat");
const isTrigger = (n: FakeNode) => /trigger|webhook/i.test(n.type);

function modelOf(node: FakeNode): string {
  const model = node.parameters?.model;
  if (typeof model === "string") return model;
  if (model && typeof model === "object" && "value" in model) return String(model.value);
  return "unknown";
}

/** Which nodes ran, in order: all for success, up to the failing or waiting node otherwise. */
function nodesThatRan(o: RunDataOptions, nodes: FakeNode[]): { ran: FakeNode[]; failed?: FakeNode } {
  if (o.status === "error") {
    const failed =
      nodes.find((n) => n.name === o.error?.node) ??
      nodes[between(Math.min(1, nodes.length - 1), nodes.length - 1, o.rand())];
    return { ran: nodes.slice(0, nodes.indexOf(failed) + 1), failed };
  }
  if (o.status === "waiting") {
    const wait = nodes.findIndex((n) => n.type === "n8n-nodes-base.wait");
    return { ran: nodes.slice(0, wait < 0 ? nodes.length : wait + 1) };
  }
  if (o.status === "success") return { ran: nodes };
  // crashed, canceled, running: stopped somewhere along the way.
  return { ran: nodes.slice(0, between(1, nodes.length, o.rand())) };
}

function chatOutput(node: FakeNode, rand: Rand) {
  const promptTokens = between(250, 3200, rand());
  const completionTokens = between(40, 900, rand());
  const usage = { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens };
  const response = { generations: [[{ text: "Summary: ...", generationInfo: { finish_reason: "stop" } }]] };
  // Some providers (or streaming) report no usage; n8n then estimates with tiktoken.
  const json = rand() < 0.15 ? { response, tokenUsageEstimate: usage } : { response, tokenUsage: usage };
  return { json, usage, model: modelOf(node) };
}

export function buildRunData(o: RunDataOptions) {
  const nodes = o.nodes.filter((n) => n.type !== "n8n-nodes-base.stickyNote");
  if (nodes.length === 0) return { resultData: { runData: {} } };
  const { ran, failed } = nodesThatRan(o, nodes);
  // Chat models take the bulk of an AI workflow's time; triggers almost none.
  const weights = ran.map((n) => (isTrigger(n) ? 0.02 : isChatModel(n) ? 2 + o.rand() * 2 : 0.2 + o.rand()));
  const total = weights.reduce((a, b) => a + b, 0);
  const runData: Record<string, unknown[]> = {};
  let clock = o.startedAt;
  let previous: string | null = null;
  let executionIndex = 0;

  ran.forEach((node, i) => {
    const nodeMs = Math.round((o.durationMs * weights[i]) / total);
    const runs = isChatModel(node) ? between(1, 3, o.rand()) : 1;
    const entries: unknown[] = [];
    for (let r = 0; r < runs; r++) {
      const executionTime = Math.max(1, Math.round(nodeMs / runs));
      const base = {
        startTime: clock,
        executionTime,
        executionIndex: executionIndex++,
        source: previous ? [{ previousNode: previous }] : [],
        hints: [],
      };
      clock += executionTime;
      if (node === failed) {
        entries.push({ ...base, executionStatus: "error", error: nodeErrorJson(node, o.error, clock) });
      } else if (isChatModel(node)) {
        const { json, usage, model } = chatOutput(node, o.rand);
        const input = {
          messages: ["System: ...\nHuman: ..."],
          estimatedTokens: usage.promptTokens,
          options: { model },
        };
        entries.push({
          ...base,
          executionStatus: "success",
          inputOverride: { ai_languageModel: [[{ json: input }]] },
          data: { ai_languageModel: [[{ json }]] },
        });
      } else {
        const json = { node: node.name, item: i, ok: true };
        entries.push({ ...base, executionStatus: "success", data: { main: [[{ json }]] } });
      }
    }
    runData[node.name] = entries;
    if (!isChatModel(node)) previous = node.name;
  });

  const last = ran[ran.length - 1];
  const resultData: Record<string, unknown> = { runData, lastNodeExecuted: last.name };
  if (failed) resultData.error = nodeErrorJson(failed, o.error, clock);
  // n8n marks an execution crashed when its process died; recovery records why.
  if (o.status === "crashed") resultData.error = crashedErrorJson(clock);
  return {
    version: 1,
    startData: {},
    resultData,
    ...(o.waitTill ? { waitTill: new Date(o.waitTill).toISOString() } : {}),
    executionData: {
      contextData: {},
      nodeExecutionStack: [],
      metadata: {},
      waitingExecution: {},
      waitingExecutionSource: {},
    },
  };
}
