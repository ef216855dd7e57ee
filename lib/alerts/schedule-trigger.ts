/**
 * What a workflow's schedule trigger nodes say about when it should run, for the
 * missed-schedule rule. Each rule of each enabled node becomes a cron pattern, as n8n
 * builds it (packages/nodes-base/nodes/Schedule/GenericFunctions.ts toCronExpression,
 * and the legacy Cron node's trigger times); a rule whose run times cannot be known from
 * the stored workflow is listed as ignored with the reason, never guessed. Pure: no
 * database, no clock.
 *
 * Two things n8n decides that the workflow JSON does not show:
 * - the second within the minute (n8n derives it from the workflow and node ids, or
 *   draws it): patterns here fire at second 0, so a run may start up to a minute after
 *   its expected time;
 * - runs of two rules due at the same instant: counted once here, so the expectation
 *   never exceeds what n8n starts.
 */
import { cronTimes } from "@/lib/core/cron-times";
import type { ScheduleTriggerNode } from "@/lib/core/vocabulary";
import { readRules, type RuleReading } from "./schedule-rules";

export interface UnderstoodRule {
  /** The node's name. */
  node: string;
  /** A croner pattern, 6 fields (seconds first) unless the user wrote 5. */
  cron: string;
  /** Plain English: "every 15 minutes", "daily at 09:30". */
  text: string;
}

export interface IgnoredRule {
  node: string;
  reason: string;
}

export interface ScheduleDescription {
  understood: UnderstoodRule[];
  ignored: IgnoredRule[];
}

/** The rules of each node, understood as cron patterns or ignored with a reason. */
export function describeSchedule(nodes: ScheduleTriggerNode[]): ScheduleDescription {
  const out: ScheduleDescription = { understood: [], ignored: [] };
  for (const node of nodes) {
    for (const reading of readNode(node)) {
      if ("reason" in reading) out.ignored.push({ node: node.name, reason: reading.reason });
      else out.understood.push({ node: node.name, cron: reading.cron, text: reading.text });
    }
  }
  return out;
}

function readNode(node: ScheduleTriggerNode): RuleReading[] {
  if (node.disabled) return [{ reason: "the node is disabled" }];
  return readRules(node.type, node.parameters ?? {});
}

/**
 * The times in [from, to) at which the understood rules fire, in `timeZone` (the
 * workflow's, else the fallback the caller chose), ascending, a time two rules share
 * once, at most `max` (rules every few seconds can ask for more than a window needs).
 * Throws a RangeError for a zone Intl does not know.
 */
export function expectedRunTimes(
  nodes: ScheduleTriggerNode[],
  timeZone: string,
  from: Date,
  to: Date,
  max = 100_000,
): Date[] {
  const times = new Set<number>();
  for (const rule of describeSchedule(nodes).understood) {
    for (const t of cronTimes(rule.cron, timeZone).between(from.getTime(), to.getTime(), max)) times.add(t);
  }
  return [...times]
    .sort((a, b) => a - b)
    .slice(0, max)
    .map((t) => new Date(t));
}

/** How many runs the understood rules expect in [from, to) (at most `max`). */
export function countExpectedRuns(
  nodes: ScheduleTriggerNode[],
  timeZone: string,
  from: Date,
  to: Date,
  max = 100_000,
): number {
  return expectedRunTimes(nodes, timeZone, from, to, max).length;
}
