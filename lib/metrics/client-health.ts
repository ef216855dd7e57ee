/**
 * How a client stands at a glance on the operator overview: one state with the reason in
 * words, from the figures of the range and the freshness of its data. The one place the
 * thresholds live; the home page sorts and colours by it.
 */
import type { SyncStatus } from "@/lib/core/vocabulary";

/** Worst first: the order the overview lists clients in. */
export const HEALTH_STATES = ["failing", "degraded", "first-sync", "healthy", "inactive"] as const;
export type HealthState = (typeof HEALTH_STATES)[number];

/** Below this success rate (%) a client is failing; below DEGRADED_BELOW, degraded. */
export const FAILING_BELOW = 90;
export const DEGRADED_BELOW = 98;
/** Finished runs a rate needs before it says anything: 1 failure in 3 runs is not a trend. */
export const MIN_FINISHED = 10;

export interface HealthInput {
  active: boolean;
  /** Finished runs in the range (success, error, crashed, canceled) and the success rate over them (%). */
  finished: number;
  successRate: number | null;
  lastSyncAt: string | null;
  stale: boolean;
  lastRunStatus: SyncStatus | null;
}

export interface Health {
  state: HealthState;
  reason: string;
}

export function clientHealth(c: HealthInput): Health {
  if (!c.active) return { state: "inactive", reason: "Not collected (inactive)" };
  if (!c.lastSyncAt) {
    if (c.lastRunStatus === "error") return { state: "failing", reason: "First sync failed" };
    return { state: "first-sync", reason: c.lastRunStatus ? "First sync in progress" : "Waiting for its first sync" };
  }
  const rated = c.successRate !== null && c.finished >= MIN_FINISHED;
  if (c.lastRunStatus === "error") return { state: "failing", reason: "Last sync failed" };
  if (rated && (c.successRate as number) < FAILING_BELOW)
    return { state: "failing", reason: `Success rate below ${FAILING_BELOW}%` };
  if (c.stale) return { state: "degraded", reason: "Data is stale" };
  if (rated && (c.successRate as number) < DEGRADED_BELOW)
    return { state: "degraded", reason: `Success rate below ${DEGRADED_BELOW}%` };
  return { state: "healthy", reason: "Syncing and succeeding" };
}
