"use client";

import type { DashboardQuery } from "@/lib/web/range";
import { coverageQuery } from "@/lib/web/metrics-queries";
import { useDashboardQuery } from "@/lib/web/use-dashboard-query";
import { formatCount } from "@/components/format/format";

/**
 * Says what the figures above cannot include: executions n8n no longer had when
 * Flowscope asked for them (pruned or deleted first), and history still being read.
 * Nothing is shown when the range is fully covered.
 */
export function CoverageNotice({ q, refresh }: { q: DashboardQuery; refresh: boolean }) {
  const { data } = useDashboardQuery(coverageQuery(q), refresh);
  const pending = (data.idsToRead ?? 0) + data.idsUnprobed;
  if (data.range.missing === 0 && pending === 0) return null;
  return (
    <p className="mt-3 text-sm text-gray-700" data-testid="coverage-notice">
      {data.range.missing > 0 && (
        <>
          {formatCount(data.range.missing)} executions in this range are unknown: n8n had pruned or deleted them before
          Flowscope collected them, so no figure counts them.{" "}
        </>
      )}
      {pending > 0 && <>History is still being collected ({formatCount(pending)} execution ids to read).</>}
    </p>
  );
}
