import { apiRoute } from "@/lib/api/handler";
import { metricsLlmUsage } from "@/lib/api/contracts/llm";
import { getLlmUsage, llmUsageCsvRows } from "@/lib/metrics/llm-usage";
import { rangeOf } from "@/lib/metrics/params";

/** LLM usage by workflow and by model, and cost over time. CSV: the table named by `table` (workflow, model, cost). */
export const GET = apiRoute(metricsLlmUsage, {
  name: (q) => `llm-usage-${q.table}`,
  handler: ({ db, query }) => getLlmUsage(db, { clientId: query.clientId, range: rangeOf(query) }),
  csv: (usage, query) => llmUsageCsvRows(usage, query.table),
});
