import type { RunView } from "@/lib/metrics/status/types";
import { formatCount, formatMs } from "@/components/format/format";
import { PhaseBreakdown } from "./phase-breakdown";

const COUNTS: Array<[keyof RunView["counts"], string]> = [
  ["executionsNew", "New executions"],
  ["executionsUpdated", "Updated executions"],
  ["executionsExcluded", "Excluded executions"],
  ["executionsSeen", "Executions seen"],
  ["workflowsSeen", "Workflows seen"],
  ["pages", "Pages"],
];

/** A finished run's figures: its counts, and how its time splits into phases that add up to the total. */
export function RunCounts({ run }: { run: RunView }) {
  return (
    <div className="space-y-4">
      <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm sm:grid-cols-3">
        {COUNTS.map(([key, label]) => (
          <div key={key} className="flex justify-between gap-2 border-b border-gray-100 py-1">
            <dt className="text-gray-600">{label}</dt>
            <dd className="font-medium tabular-nums" data-testid={`run-${key}`}>
              {formatCount(run.counts[key])}
            </dd>
          </div>
        ))}
        <div className="flex justify-between gap-2 border-b border-gray-100 py-1">
          <dt className="text-gray-600">Duration</dt>
          <dd className="font-medium tabular-nums">{formatMs(run.durationMs)}</dd>
        </div>
      </dl>
      <div className="max-w-md">
        <PhaseBreakdown phaseMs={run.phaseMs} durationMs={run.durationMs} />
      </div>
    </div>
  );
}
