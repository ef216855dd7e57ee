"use client";

import { Badge, type Tone } from "@/components/ui/badge";
import { Stat, StatGrid } from "@/components/ui/stat";
import type { QueueSeverity } from "@/lib/metrics/execution/types";
import { realtimeQuery } from "@/lib/web/metrics-queries";
import type { DashboardQuery } from "@/lib/web/range";
import { useDashboardQuery } from "@/lib/web/use-dashboard-query";
import { formatAge, formatCount, formatPercent } from "@/components/format/format";

const SEVERITY: Record<QueueSeverity, { tone: Tone; text: string; border: string }> = {
  ok: { tone: "green", text: "OK", border: "border-l-emerald-600" },
  warning: { tone: "amber", text: "Warning", border: "border-l-amber-500" },
  critical: { tone: "red", text: "Critical", border: "border-l-red-600" },
};

/** Running, waiting and queued executions as of the last sync, with the queue's severity. */
export function QueueStatus({ q, refresh }: { q: DashboardQuery; refresh: boolean }) {
  const { data } = useDashboardQuery(realtimeQuery(q), refresh);
  const sev = SEVERITY[data.queue.severity];
  const { freshness } = data;
  return (
    <div className="space-y-3">
      <div
        className={`flex flex-wrap items-center gap-2 rounded border border-gray-200 border-l-4 ${sev.border} p-3`}
        data-testid="queue-severity"
      >
        <span className="text-sm font-medium">Queue depth {formatCount(data.queue.depth)}</span>
        <Badge tone={sev.tone}>{sev.text}</Badge>
        <span className="text-xs text-gray-600">
          warning at {data.queue.thresholds.warning}, critical at {data.queue.thresholds.critical}
        </span>
      </div>
      <StatGrid label="Executions now">
        <Stat id="running" label="Running" value={formatCount(data.running)}>
          {formatPercent(data.capacityPct)} of the limit of {data.queue.concurrencyLimit}
        </Stat>
        <Stat id="waiting" label="Waiting (Wait node)" value={formatCount(data.waiting)}>
          {data.oldestWaiting
            ? `oldest: ${data.oldestWaiting.workflowName}, ${formatAge(data.oldestWaiting.ageSeconds)}`
            : "none"}
        </Stat>
        <Stat id="queued" label="Queued (not started)" value={formatCount(data.queued)} />
        <Stat id="freshness" label="Data as of last sync" value={formatAge(freshness.ageSeconds)}>
          {freshness.stale ? <Badge tone="amber">Stale</Badge> : <Badge tone="green">Fresh</Badge>}
        </Stat>
      </StatGrid>
      {data.runningNow.length > 0 && (
        <ul className="divide-y divide-gray-100 text-sm" aria-label="Running now">
          {data.runningNow.map((e) => (
            <li key={e.executionId} className="flex justify-between gap-3 py-1.5">
              <span className="min-w-0 break-words">{e.workflowName}</span>
              <span className="shrink-0 text-gray-600">running {formatAge(e.ageSeconds).replace(" ago", "")}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
