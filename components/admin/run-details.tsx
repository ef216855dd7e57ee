"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import type { RunView } from "@/lib/metrics/status/types";
import { CARD } from "@/components/ui/card";
import { TEXT_LINK } from "@/components/ui/link";
import { ALERT } from "@/components/ui/message";
import { formatTimestamp } from "@/components/format/format";
import { errorText } from "./api";
import { RunCounts } from "./run-counts";
import { STATUS_LABEL, STATUS_TONE, isFinished } from "./sync-status";
import { useRun } from "./use-run";

/** One run's page: polls while it is queued or running, then shows its outcome. */
export function RunDetails({ initialData, canEditClient }: { initialData: RunView; canEditClient: boolean }) {
  const { data, error } = useRun(initialData.id, initialData);
  const run = data ?? initialData;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-2">
        <h1 className="text-2xl font-semibold">
          Run #{run.id}: {run.function}
        </h1>
        <p role="status" aria-live="polite">
          <Badge tone={STATUS_TONE[run.status]}>{STATUS_LABEL[run.status]}</Badge>
          {!isFinished(run.status) && <span className="ml-2 text-sm text-gray-600">Refreshing every second…</span>}
        </p>
      </div>
      {error && (
        <p role="alert" className={ALERT}>
          The run could not be refreshed: {errorText(error)}
        </p>
      )}
      <section aria-labelledby="run-facts" className={CARD}>
        <h2 id="run-facts" className="sr-only">
          Details
        </h2>
        <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2">
          <Fact label="Client">
            {run.clientId === null ? (
              "All clients"
            ) : canEditClient ? (
              <Link href={`/admin/clients/${run.clientId}`} className={TEXT_LINK}>
                {run.clientName ?? `Client ${run.clientId}`}
              </Link>
            ) : (
              (run.clientName ?? `Client ${run.clientId}`)
            )}
          </Fact>
          <Fact label="Trigger">{run.trigger}</Fact>
          <Fact label={run.status === "queued" ? "Queued" : "Started"}>{formatTimestamp(run.startedAt)}</Fact>
          <Fact label="Finished">{formatTimestamp(run.finishedAt)}</Fact>
        </dl>
        {run.status === "error" && (
          <p role="alert" className={`mt-4 ${ALERT}`}>
            {run.error ?? "The run failed without a message."}
          </p>
        )}
        {isFinished(run.status) && (
          <div className="mt-4">
            <RunCounts run={run} />
          </div>
        )}
        {run.details && (
          <details className="mt-4 text-sm">
            <summary className="cursor-pointer font-medium">Details</summary>
            <pre className="mt-2 overflow-x-auto rounded bg-gray-50 p-3 text-xs">
              {JSON.stringify(run.details, null, 2)}
            </pre>
          </details>
        )}
      </section>
    </div>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex justify-between gap-2 border-b border-gray-100 py-1">
      <dt className="text-gray-600">{label}</dt>
      <dd className="text-right font-medium">{children}</dd>
    </div>
  );
}
