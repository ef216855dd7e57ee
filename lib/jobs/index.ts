/**
 * The background jobs, each recorded as a sync run. Inngest functions, the in-process
 * scheduler and the CLI all call these, so every path runs the same code.
 */
export { syncClient, syncAllClients, listActiveClientIds } from "@/lib/ingest/collect";
export { reclassifyClient } from "@/lib/ingest/classify/reclassify";
export { runRollupJob, runRetentionJob, runBackfillJob } from "./maintenance";
