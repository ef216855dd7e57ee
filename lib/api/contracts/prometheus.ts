/** The Prometheus endpoint: Flowscope's figures in the text exposition format. */
import { defineContract } from "@/lib/api/contract";
import { NoParams } from "@/lib/metrics/params";

export const prometheusMetrics = defineContract({
  method: "GET",
  path: "/api/v1/prometheus",
  tag: "system",
  summary:
    "Flowscope's figures for Prometheus: per-client executions, failures, syncs, coverage and LLM cost; runs, queue and process metrics",
  description:
    "Prometheus text exposition format 0.0.4, not JSON. Counters are read from stored data (month rollups, sync_runs), so they survive restarts and retention. Besides sessions and API tokens, accepts `Authorization: Bearer <PROMETHEUS_SCRAPE_TOKEN>`.",
  query: NoParams,
  access: "operator",
  raw: {
    mediaType: "text/plain",
    description: "text/plain; version=0.0.4; charset=utf-8 (the Prometheus text format)",
  },
});
