import { apiRoute } from "@/lib/api/handler";
import { toCsv } from "@/lib/metrics/csv";
import { getLlmUsage, llmUsageCsvRows, LlmUsageQuery } from "@/lib/metrics/llm-usage";
import { rangeOf } from "@/lib/metrics/params";

/**
 * LLM usage by workflow and by model, and cost over time. CSV: the table named by
 * `table` (workflow, model, cost); the wrapper's `csv` hook sees only the answer, not
 * the query, so the handler answers CSV itself.
 */
export const GET = apiRoute({
  access: "viewer",
  client: (q) => q.clientId,
  query: LlmUsageQuery,
  name: "llm-usage",
  handler: async ({ db, query, request }) => {
    const usage = await getLlmUsage(db, { clientId: query.clientId, range: rangeOf(query) });
    if (new URL(request.url).searchParams.get("format") !== "csv") return usage;
    return new Response(toCsv(llmUsageCsvRows(usage, query.table)), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="llm-usage-${query.table}.csv"`,
      },
    });
  },
  // Declares that CSV is served; never reached, as the handler answers CSV itself.
  csv: (usage) => (usage instanceof Response ? [] : llmUsageCsvRows(usage, "workflow")),
});
