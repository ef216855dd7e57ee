/** A rule's condition in one line, for the rules list. */
import type { AlertParams } from "@/lib/alerts/rules";
import { formatMinutes, formatMs } from "@/components/format/format";
import { formatUsd } from "@/components/format/money";

const perText = (p: { per?: string }) => (p.per === "workflow" ? ", each workflow apart" : "");
const runs = (n: number) => `${n.toLocaleString("en-US")} ${n === 1 ? "run" : "runs"}`;

/** A rule's condition in one line, e.g. "above 20% over 60 min (at least 10 runs)". */
export function describeParams(p: AlertParams): string {
  switch (p.kind) {
    case "failure_rate":
      return `above ${p.thresholdPct}% over ${formatMinutes(p.windowMinutes)} (at least ${runs(p.minRuns)})${perText(p)}`;
    case "failures":
      return `at least ${p.count} over ${formatMinutes(p.windowMinutes)}${perText(p)}`;
    case "latency":
      return `${p.percentile} above ${formatMs(p.thresholdMs)} over ${formatMinutes(p.windowMinutes)} (at least ${runs(p.minRuns)})${perText(p)}`;
    case "silence":
      return `no runs for ${formatMinutes(p.minutes)}${perText(p)}`;
    case "missed_schedule":
      return `over ${formatMinutes(p.windowMinutes)}, ${p.tolerance} missing allowed`;
    case "stuck":
      return `running over ${formatMinutes(p.runningMinutes)}, or waiting ${formatMinutes(p.waitingGraceMinutes)} past resume`;
    case "stale_data":
      return `no successful sync for ${formatMinutes(p.maxAgeMinutes)}, or ${p.failedSyncs} failed in a row`;
    case "coverage":
      return `at least ${p.minMissing} missing over ${formatMinutes(p.windowMinutes)}`;
    case "llm_cost":
      return `${p.period === "day" ? "today" : "this month"} above ${formatUsd(p.budgetUsd)}${p.forecast ? ", or on pace to pass it" : ""}`;
    case "anomaly":
      return `${p.metrics.join(" and ").replace("failure_rate", "failure rate")} anomalies over ${formatMinutes(p.windowMinutes)}`;
  }
}
