/**
 * A rule's measurement at any number of instants (ascending), one kind per module: the
 * evaluator asks for one instant (now), the backtest for every step of the past days, and
 * both get the same answer for the same instant.
 */
import type { Db } from "@/lib/db/database";
import { DAY_MS, MINUTE_MS } from "@/lib/core/time";
import type { ClientTarget, Measurements, RuleToEvaluate } from "../types";
import { measureAnomaly } from "./anomaly";
import { syncHistories } from "./context";
import { measureCoverage } from "./coverage";
import { measureLlmCost } from "./llm-cost";
import { measureMissedSchedule } from "./missed-schedule";
import { measureSilence } from "./silence";
import { measureStaleData } from "./sync-health";
import { measureStuck } from "./stuck";
import { measureWindow } from "./window";

export { targetClients } from "./context";

/** How far before the first instant sync runs are read: the stale-data rule counts failures in a row. */
function syncLookbackMs(rule: RuleToEvaluate): number {
  return rule.params.kind === "stale_data" ? Math.max(2 * DAY_MS, 2 * rule.params.maxAgeMinutes * MINUTE_MS) : DAY_MS;
}

export async function measureRule(
  db: Db,
  rule: RuleToEvaluate,
  targets: ClientTarget[],
  times: Date[],
): Promise<Measurements> {
  if (targets.length === 0 || times.length === 0) return times.map(() => []);
  const first = new Date(Math.min(...times.map((t) => t.getTime())));
  const needsSyncs = !["coverage", "llm_cost"].includes(rule.params.kind);
  const syncs = needsSyncs
    ? await syncHistories(
        db,
        targets.map((c) => c.id),
        first,
        syncLookbackMs(rule),
      )
    : new Map();
  const p = rule.params;
  switch (p.kind) {
    case "failure_rate":
    case "failures":
    case "latency":
      return measureWindow(db, { ...rule, params: p }, targets, syncs, times);
    case "silence":
      return measureSilence(db, { ...rule, params: p }, targets, syncs, times);
    case "missed_schedule":
      return measureMissedSchedule(db, { ...rule, params: p }, targets, syncs, times);
    case "stuck":
      return measureStuck(db, { ...rule, params: p }, targets, syncs, times);
    case "stale_data":
      return measureStaleData({ ...rule, params: p }, targets, syncs, times);
    case "coverage":
      return measureCoverage(db, { ...rule, params: p }, targets, times);
    case "llm_cost":
      return measureLlmCost(db, { ...rule, params: p }, targets, times);
    case "anomaly":
      return measureAnomaly(db, { ...rule, params: p }, targets, syncs, times);
  }
}
