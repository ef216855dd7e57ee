import { apiRoute } from "@/lib/api/handler";
import { workflowsCsvRows } from "@/lib/metrics/csv-rows";
import { ClientRangeQuery, rangeOf } from "@/lib/metrics/params";
import { getWorkflowPerformance } from "@/lib/metrics/workflows";

/** Performance table per workflow. */
export const GET = apiRoute({
  access: "viewer",
  client: (q) => q.clientId,
  query: ClientRangeQuery,
  name: "workflows",
  handler: ({ db, query }) => getWorkflowPerformance(db, { clientId: query.clientId, range: rangeOf(query) }),
  csv: workflowsCsvRows,
});
