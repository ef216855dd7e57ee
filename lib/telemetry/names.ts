import type { SystemMetricType } from "@/lib/core/vocabulary";

/**
 * Every series Flowscope records about itself, with its type and unit, in one place:
 * the recorders, the System page and the README's table read these.
 */
export const FLOWSCOPE_METRICS = {
  /** A run's wall time per phase (labels: function, trigger, status, phase, client). */
  phaseDuration: { name: "run_phase_duration", type: "processing_time", unit: "ms" },
  /** 1 for a run that succeeded, 0 for one that failed (labels: function, trigger, client). */
  runSuccess: { name: "run_success", type: "success_rate", unit: "ratio" },
  /** A sync's n8n requests that answered on their first try, out of all (labels: client). */
  n8nRequestSuccess: { name: "n8n_request_success", type: "success_rate", unit: "ratio" },
  /** Requests a sync sent to n8n, retries included (labels: client). */
  n8nRequests: { name: "n8n_requests", type: "custom", unit: "count" },
  /** Retries a sync made after n8n failed or was unreachable (labels: client). */
  n8nRetries: { name: "n8n_request_retries", type: "custom", unit: "count" },
  /** 429 answers a sync waited out as n8n asked (labels: client). */
  n8nRateLimited: { name: "n8n_rate_limited", type: "custom", unit: "count" },
  /** Time from a run being queued to its start (labels: function, trigger). */
  queueWait: { name: "queue_wait", type: "queue_metrics", unit: "ms" },
  /** Runs queued or running at a sample (labels: function, state). */
  queueDepth: { name: "queue_depth", type: "queue_metrics", unit: "count" },
  /** The process's CPU time over the last sample's interval, in percent of one core. */
  cpu: { name: "process_cpu", type: "resource_usage", unit: "percent" },
  rss: { name: "process_rss", type: "resource_usage", unit: "bytes" },
  heapUsed: { name: "process_heap_used", type: "resource_usage", unit: "bytes" },
  /** Event-loop delay over the last sample's interval (labels: stat = mean | p99 | max). */
  eventLoopLag: { name: "event_loop_lag", type: "resource_usage", unit: "ms" },
  dbConnections: { name: "db_connections", type: "resource_usage", unit: "count" },
  dbSize: { name: "db_size", type: "resource_usage", unit: "bytes" },
  /** The largest tables, partitions counted with their table (labels: table). */
  dbTableSize: { name: "db_table_size", type: "resource_usage", unit: "bytes" },
  /** Free space on the disk holding the embedded database (labels: path). */
  diskFree: { name: "disk_free", type: "resource_usage", unit: "bytes" },
} as const satisfies Record<string, { name: string; type: SystemMetricType; unit: string }>;

export type FlowscopeMetric = keyof typeof FLOWSCOPE_METRICS;

/** The service Flowscope's own points carry. */
export const FLOWSCOPE_SERVICE = "flowscope";
