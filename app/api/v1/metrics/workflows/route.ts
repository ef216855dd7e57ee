import { metricsWorkflows } from "@/lib/api/contracts/metrics";
import { apiRoute } from "@/lib/api/handler";
import { workflowsCsvRows } from "@/lib/metrics/csv-rows";
import { rangeOf } from "@/lib/metrics/params";
import { getWorkflowPerformance } from "@/lib/metrics/workflows";

/** Performance table per workflow. */
export const GET = apiRoute(metricsWorkflows, {
  name: "workflows",
  handler: ({ db, query }) => getWorkflowPerformance(db, { clientId: query.clientId, range: rangeOf(query) }),
  csv: workflowsCsvRows,
});
