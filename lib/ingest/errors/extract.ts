import { at, isRecord } from "@/lib/core/json";

/** Characters of an error message kept; longer ones are cut (a message may hold a whole response body). */
export const ERROR_MESSAGE_MAX = 2000;

/** What a failed execution's run data says about why it failed. */
export interface ErrorDetails {
  /** n8n's message; its description when the message is empty; null when n8n recorded neither. */
  message: string | null;
  /** The failing node, or else the last node that ran. */
  node: string | null;
  /** n8n's error class (NodeApiError, NodeOperationError, WorkflowCrashedError, …). */
  type: string | null;
}

/**
 * A string of the run data as PostgreSQL can store it: no NUL (text and jsonb refuse it;
 * a binary response body quoted in a message has them), cut without splitting a UTF-16
 * pair (a lone half is refused too). One such message would otherwise fail its whole
 * page on every sync.
 */
function text(value: unknown): string | null {
  if (typeof value !== "string") return null;
  let clean = value.replaceAll("\u0000", "").slice(0, ERROR_MESSAGE_MAX);
  const last = clean.charCodeAt(clean.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) clean = clean.slice(0, -1);
  // Lone halves inside (invalid UTF-16 from the source) become U+FFFD.
  clean = clean.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
  return clean.trim() === "" ? null : clean;
}

/**
 * The error of an execution from its `data` (GET /executions/{id}?includeData=true).
 *
 * n8n writes the workflow's error to `resultData.error`: its own enumerable fields spread
 * into an object (workflow-execute.ts), or, where it was serialised through the error's
 * toJSON, only message/name/description/context without the node. A crashed run that
 * n8n recovered holds a WorkflowCrashedError with no node. So the node falls back to
 * `resultData.lastNodeExecuted`, and where `resultData.error` is missing, the last node's
 * own failed run (`runData[node][i].error`) gives the message. Never throws: run data is
 * untrusted JSON.
 */
export function extractErrorDetails(data: unknown): ErrorDetails {
  const resultData = at(data, "resultData");
  const lastNode = text(at(resultData, "lastNodeExecuted"));
  const error = at(resultData, "error") ?? lastNodeRunError(resultData, lastNode);
  if (!isRecord(error)) return { message: null, node: lastNode, type: null };
  return {
    message: text(error.message) ?? text(error.description),
    node: text(at(error, "node", "name")) ?? lastNode,
    type: text(error.name),
  };
}

/** The error of the last failed run of the node that ran last, if any. */
function lastNodeRunError(resultData: unknown, lastNode: string | null): unknown {
  if (lastNode === null) return undefined;
  const runs = at(resultData, "runData", lastNode);
  if (!Array.isArray(runs)) return undefined;
  for (let i = runs.length - 1; i >= 0; i--) {
    const error = at(runs[i], "error");
    if (isRecord(error)) return error;
  }
  return undefined;
}
