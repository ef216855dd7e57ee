import { RUN_DATA_CONCURRENCY } from "@/lib/ingest/collect/run-data-fetch";
import { forEachPooled } from "@/lib/core/pool";
import { isAiWorkflow } from "@/lib/ingest/llm/extract";
import { classifyExecution, compileRules } from "@/lib/ingest/classify";
import { storedFilterRules } from "@/lib/clients/rules";
import { FAILED_STATUSES } from "@/lib/core/vocabulary";
import { N8nClient, type N8nRequestInfo } from "@/lib/n8n";

/**
 * The network half of the benchmark's baseline: the least any collector must download for
 * the same data, with the same n8n client against the same fake n8n.
 *
 * - `listAll`: every workflow page (to know which workflows have chat-model nodes) and
 *   every execution page, one after the other, nothing stored.
 * - `fetchWithData`: each execution whose run data the sync reads (those of AI workflows,
 *   and failed production ones, classified by the default rules) fetched once with its
 *   run data (includeData=true), `RUN_DATA_CONCURRENCY` at a time as the sync does, the
 *   body parsed and dropped: no lookup, no extraction, nothing stored.
 */
export async function listAll(url: string): Promise<{ ms: number; rows: number; dataIds: number[] }> {
  const n8n = benchClient(url);
  const started = performance.now();
  const aiWorkflows = new Set<string>();
  const workflows = new Map<string, { name: string; tags: string[] }>();
  for await (const page of n8n.workflowPages()) {
    for (const w of page) {
      if (isAiWorkflow(w.nodes.map((n) => n.type))) aiWorkflows.add(w.id);
      workflows.set(w.id, { name: w.name, tags: w.tags.map((t) => t.name) });
    }
  }
  const rules = compileRules(storedFilterRules(null));
  const failed = (e: { status: string; mode: string; workflowId: string }) =>
    (FAILED_STATUSES as readonly string[]).includes(e.status) &&
    classifyExecution(e, workflows.get(e.workflowId) ?? { name: "", tags: [] }, rules).isProduction;
  let rows = 0;
  const dataIds: number[] = [];
  for await (const page of n8n.executionPages({ limit: 250 })) {
    rows += page.executions.length;
    for (const e of page.executions) if (aiWorkflows.has(e.workflowId) || failed(e)) dataIds.push(Number(e.id));
  }
  return { ms: performance.now() - started, rows, dataIds };
}

export async function fetchWithData(
  url: string,
  ids: readonly number[],
  onRequest?: (info: N8nRequestInfo) => void,
): Promise<{ ms: number; fetched: number }> {
  const n8n = benchClient(url, onRequest);
  const started = performance.now();
  let fetched = 0;
  await forEachPooled(ids, RUN_DATA_CONCURRENCY, async (id) => {
    if (await n8n.getExecution(String(id), { includeData: true })) fetched += 1;
  });
  return { ms: performance.now() - started, fetched };
}

function benchClient(url: string, onRequest?: (info: N8nRequestInfo) => void): N8nClient {
  return new N8nClient({ baseUrl: url, apiKey: "bench-key", onRequest });
}
