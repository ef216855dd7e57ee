import { LLM_FETCH_CONCURRENCY } from "@/lib/ingest/collect/llm-usage";
import { forEachPooled } from "@/lib/core/pool";
import { isAiWorkflow } from "@/lib/ingest/llm/extract";
import { N8nClient, type N8nRequestInfo } from "@/lib/n8n";

/**
 * The network half of the benchmark's baseline: the least any collector must download for
 * the same data, with the same n8n client against the same fake n8n.
 *
 * - `listAll`: every workflow page (to know which workflows have chat-model nodes) and
 *   every execution page, one after the other, nothing stored.
 * - `fetchAiWithData`: each execution of those workflows fetched once with its run data
 *   (includeData=true), `LLM_FETCH_CONCURRENCY` at a time as the sync does, the body
 *   parsed and dropped: no lookup, no extraction, nothing stored.
 */
export async function listAll(url: string): Promise<{ ms: number; rows: number; aiIds: number[] }> {
  const n8n = benchClient(url);
  const started = performance.now();
  const aiWorkflows = new Set<string>();
  for await (const page of n8n.workflowPages()) {
    for (const w of page) if (isAiWorkflow(w.nodes.map((n) => n.type))) aiWorkflows.add(w.id);
  }
  let rows = 0;
  const aiIds: number[] = [];
  for await (const page of n8n.executionPages({ limit: 250 })) {
    rows += page.executions.length;
    for (const e of page.executions) if (aiWorkflows.has(e.workflowId)) aiIds.push(Number(e.id));
  }
  return { ms: performance.now() - started, rows, aiIds };
}

export async function fetchAiWithData(
  url: string,
  ids: readonly number[],
  onRequest?: (info: N8nRequestInfo) => void,
): Promise<{ ms: number; fetched: number }> {
  const n8n = benchClient(url, onRequest);
  const started = performance.now();
  let fetched = 0;
  await forEachPooled(ids, LLM_FETCH_CONCURRENCY, async (id) => {
    if (await n8n.getExecution(String(id), { includeData: true })) fetched += 1;
  });
  return { ms: performance.now() - started, fetched };
}

function benchClient(url: string, onRequest?: (info: N8nRequestInfo) => void): N8nClient {
  return new N8nClient({ baseUrl: url, apiKey: "bench-key", onRequest });
}
