"use client";

import { useQuery } from "@tanstack/react-query";
import { formatCount, formatShareDown, formatTimestamp } from "@/components/format/format";
import { Badge } from "@/components/ui/badge";
import { Skeleton } from "@/components/ui/skeleton";
import type { CoverageResponse } from "@/lib/metrics/types";
import { ALERT } from "@/components/ui/message";
import { adminApi, adminKeys, errorText } from "./api";

function Figure({ label, value, note }: { label: string; value: string; note?: string }) {
  return (
    <div>
      <dt className="text-xs uppercase tracking-wide text-gray-600">{label}</dt>
      <dd className="mt-0.5 text-base font-semibold">{value}</dd>
      {note && <dd className="text-xs text-gray-600">{note}</dd>}
    </div>
  );
}

/**
 * What part of the client's n8n history Flowscope holds (the coverage ledger): where it
 * starts, what n8n lost before it could be collected, what is still to read or ask for.
 */
export function CoveragePanel({ clientId }: { clientId: number }) {
  const coverage = useQuery({
    queryKey: adminKeys.coverage(clientId),
    queryFn: ({ signal }) => adminApi<CoverageResponse>(`/api/v1/clients/${clientId}/coverage`, { signal }),
    refetchInterval: 30_000,
  });
  if (coverage.isPending) return <Skeleton label="coverage" className="h-24" />;
  if (coverage.error) {
    return (
      <p role="alert" className={ALERT}>
        The coverage could not be loaded: {errorText(coverage.error)}
      </p>
    );
  }
  const c = coverage.data;
  if (c.historyStart === null)
    return (
      <p className="text-sm text-gray-600">
        Nothing collected yet: the first sync reads the whole history n8n still has.
      </p>
    );
  const pending = (c.idsToRead ?? 0) + c.idsUnprobed;
  return (
    <div data-testid="coverage">
      <p className="mb-3 flex flex-wrap items-center gap-2 text-sm">
        <Badge tone={c.complete ? "green" : "blue"}>{c.complete ? "Complete" : "Catching up"}</Badge>
        <span>
          {formatShareDown(c.collectedShare)} of the executions n8n created since the history start are held
          {c.idsToRead === null && " (the list has not been read to its end yet)"}.
        </span>
      </p>
      <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
        <Figure
          label="History starts"
          value={formatTimestamp(c.historyStart.startedAt)}
          note={`execution ${c.historyStart.id}`}
        />
        <Figure
          label="Executions held"
          value={formatCount(c.idsSeen)}
          note={c.newest ? `newest ${c.newest.id}` : undefined}
        />
        <Figure
          label="Missing in n8n"
          value={formatCount(c.idsMissing)}
          note={
            c.idsMissing > 0
              ? `pruned or deleted before collection, ${formatTimestamp(c.missingFrom)} – ${formatTimestamp(c.missingTo)}`
              : "none"
          }
        />
        <Figure
          label="Running or waiting"
          value={formatCount(c.running)}
          note={pending > 0 ? `${formatCount(pending)} ids still to read or ask for` : undefined}
        />
      </dl>
      {c.range.missing > 0 && (
        <p className="mt-3 text-sm text-gray-700">
          {formatCount(c.range.missing)} executions of the last 30 days are unknown: n8n no longer had them when
          Flowscope asked. They are not counted anywhere.
        </p>
      )}
    </div>
  );
}
