/** Operational metrics: Flowscope's own and other services' points, their ingest and query, and the system status. */
import { z } from "zod";
import { defineContract } from "@/lib/api/contract";
import { MAX_METRIC_BATCH, SystemMetricInput } from "@/lib/telemetry/point";
import { SYSTEM_METRIC_TYPES } from "@/lib/core/vocabulary";
import { SystemMetricBatchBody, SystemMetricBatchResult } from "@/lib/telemetry/ingest";
import {
  METRIC_QUERY_MAX_LIMIT,
  MetricIdPath,
  SystemMetricViewSchema,
  SystemMetricsQuery,
  SystemMetricsResponse,
} from "@/lib/telemetry/query";
import { SystemStatusResponse } from "@/lib/api/system-status";

const EXAMPLE_POINT = {
  type: "processing_time",
  name: "checkout_latency",
  value: 412.5,
  unit: "ms",
  service: "checkout-api",
  labels: { route: "/orders", region: "eu-west-1" },
  timestamp: ":now",
};

const POINT_NOTE =
  `A point is {type, name, value, unit, service, labels, timestamp}: type one of ${SYSTEM_METRIC_TYPES.join(", ")}; ` +
  "name, service and label keys start with a letter or _ and hold letters, digits, _ . : -; `service` defaults to external; " +
  "`labels` up to 20 string values; `timestamp` ISO 8601 with a zone, default now (not more than a day ahead).";

const SystemMetricResponse = z.object({ data: SystemMetricViewSchema });
const SystemMetricListResponse = z.object({ data: z.array(SystemMetricViewSchema) });

export const systemMetricsList = defineContract({
  method: "GET",
  path: "/api/v1/system-metrics",
  tag: "system",
  summary: "Operational points, newest first, or aggregated into 1m/5m/1h/1d buckets",
  description:
    "Filters: `type`, `name`, `service`, `labels` (`key:value,key:value`, all must match), `start`/`end` (ISO 8601 with a zone; start inclusive, end exclusive). " +
    "Without `window`: the points, newest first. With `window`: one row per bucket (aligned to multiples of the window since the Unix epoch, UTC) and series " +
    "(type, name, service, unit, and the `groupBy` label's value): count, avg, min, max, p50 and p95 (percentile_cont), ordered by bucket, name, service, group; " +
    "`start` defaults to `end` − 24 h and `end` to now. `source=hourly` (window 1h or 1d) reads the hourly aggregates, kept after raw points are gone. " +
    `Pages of \`limit\` (1 to ${METRIC_QUERY_MAX_LIMIT}, default 100) rows: pass \`nextCursor\` as \`cursor\` for the next; null on the last. ` +
    "`format=csv` gives the same page's rows (labels as JSON).",
  query: SystemMetricsQuery,
  response: { name: "SystemMetricsResponse", schema: SystemMetricsResponse },
  csv: true,
  access: "operator",
  example: { query: { window: "5m", groupBy: "function", limit: "50" } },
});

export const systemMetricsIngest = defineContract({
  method: "POST",
  path: "/api/v1/system-metrics",
  tag: "system",
  summary: "Record one operational point",
  description: `${POINT_NOTE} Answers the stored point.`,
  body: SystemMetricInput,
  response: { name: "SystemMetricResponse", schema: SystemMetricResponse },
  status: 201,
  access: "system",
  example: { body: EXAMPLE_POINT },
});

export const systemMetricsBatch = defineContract({
  method: "POST",
  path: "/api/v1/system-metrics/batch",
  tag: "system",
  summary: `Record up to ${MAX_METRIC_BATCH} operational points`,
  description:
    `\`{"metrics": [...]}\`. ${POINT_NOTE} Each point is validated alone: valid ones are stored together (all or none on a database failure), ` +
    `invalid ones are listed in \`errors\` by index with the field at fault; \`ids\` are the stored points' ids in the order of the accepted items. More than ${MAX_METRIC_BATCH} points is a 400.`,
  body: SystemMetricBatchBody,
  // 1,000 points of up to a couple of kilobytes each (20 labels).
  maxBodyBytes: 2 * 1024 * 1024,
  perItem: "metrics",
  response: { name: "SystemMetricBatchResult", schema: SystemMetricBatchResult },
  access: "system",
  example: {
    body: { metrics: [EXAMPLE_POINT, { ...EXAMPLE_POINT, type: "success_rate", name: "checkout_ok", value: 1 }] },
  },
});

export const systemMetricsGet = defineContract({
  method: "GET",
  path: "/api/v1/system-metrics/{id}",
  tag: "system",
  summary: "One operational point",
  description: "404 when no point has this id (raw points are kept RETENTION_SYSTEM_METRICS_DAYS).",
  pathParams: MetricIdPath,
  response: { name: "SystemMetricResponse", schema: SystemMetricResponse },
  access: "operator",
  example: { pathParams: { id: ":metric" } },
});

export const systemMetricsCollect = defineContract({
  method: "POST",
  path: "/api/v1/system-metrics/collect",
  tag: "system",
  summary: "Sample Flowscope's resources now and store them",
  description:
    "The sampler's points (process CPU, memory, heap, event-loop lag; database connections, size and largest tables; disk free for the embedded database; queue depth), stored at once and answered as stored.",
  response: { name: "SystemMetricListResponse", schema: SystemMetricListResponse },
  status: 201,
  access: "system",
  example: {},
});

export const systemStatus = defineContract({
  method: "GET",
  path: "/api/v1/system/status",
  tag: "system",
  summary: "Flowscope's state now: process, database, queue, scheduler, recorder, last and slowest runs",
  description:
    "Read when asked, stored nowhere. `lastRuns`: the newest run of each function; `slowestRuns`: the 10 longest runs finished in the last 24 hours; each with `href`, its task page. " +
    "`queue.inngest` says what Inngest's API can tell where it is configured.",
  response: { name: "SystemStatusResponse", schema: SystemStatusResponse },
  access: "operator",
  example: {},
});
