import { executionThroughput } from "@/lib/api/contracts/metrics";
import { apiRoute } from "@/lib/api/handler";
import { getThroughputMetrics, throughputCsv, toExecutionQuery } from "@/lib/metrics/execution";

/** GET /api/v1/metrics/execution/throughput; format=csv gives the series (ThroughputMetrics). */
export const GET = apiRoute(executionThroughput, {
  handler: ({ db, query }) => getThroughputMetrics(db, toExecutionQuery(query)),
  csv: throughputCsv,
  name: "execution-throughput",
});
