"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import type { RunView } from "@/lib/metrics/status/types";
import { CARD } from "@/components/ui/card";
import { TEXT_LINK } from "@/components/ui/link";
import { ALERT } from "@/components/ui/message";
import { formatTimestampSeconds } from "@/components/format/format";
import { errorText } from "./api";
import { RunCounts } from "./run-counts";
import { STATUS_LABEL, STATUS_TONE, isFinished } from "./sync-status";
import { useRun } from "./use-run";

/** The run's client as the page names it; null for runs of no client (rollup, retention). */
export interface RunClient {
  id: number;
  name: string;
  slug: string;
  timeZone: string;
}

/** Back to where the run belongs: the client's admin page (admins), its dashboard (operators), or the scheduler. */
function BackLink({ client, canEditClient }: { client: RunClient | null; canEditClient: boolean }) {
  const [href, text] = !client
    ? ["/admin/scheduler", "Scheduler"]
    : canEditClient
      ? [`/admin/clients/${client.id}`, `${client.name} (admin)`]
      : [`/clients/${encodeURIComponent(client.slug)}`, `${client.name} dashboard`];
  return (
    <Link href={href} className={`text-sm ${TEXT_LINK}`} data-testid="run-back-link">
      <span aria-hidden="true">← </span>
      {text}
    </Link>
  );
}

/** One run's page: polls while it is queued or running, then shows its outcome. */
export function RunDetails({
  initialData,
  client,
  canEditClient,
}: {
  initialData: RunView;
  client: RunClient | null;
  canEditClient: boolean;
}) {
  const { data, error } = useRun(initialData.id, initialData);
  const run = data ?? initialData;
  const zone = client?.timeZone ?? "UTC";
  const clientName = client?.name ?? run.clientName ?? `Client ${run.clientId}`;
  return (
    <div className="space-y-4">
      <div>
        <BackLink client={client} canEditClient={canEditClient} />
        <div className="mt-1 flex flex-wrap items-center gap-2">
          <h1 className="text-2xl font-semibold">
            Run #{run.id}: {run.function}
          </h1>
          <p role="status" aria-live="polite">
            <Badge tone={STATUS_TONE[run.status]}>{STATUS_LABEL[run.status]}</Badge>
            {!isFinished(run.status) && <span className="ml-2 text-sm text-gray-600">Refreshing every second…</span>}
          </p>
        </div>
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
                {clientName}
              </Link>
            ) : (
              clientName
            )}
          </Fact>
          <Fact label="Trigger">{run.trigger}</Fact>
          <Fact label={run.status === "queued" ? "Queued" : "Started"}>
            <time dateTime={run.startedAt} data-testid="run-started">
              {formatTimestampSeconds(run.startedAt, zone)}
            </time>
          </Fact>
          <Fact label="Finished">
            {run.finishedAt ? (
              <time dateTime={run.finishedAt} data-testid="run-finished">
                {formatTimestampSeconds(run.finishedAt, zone)}
              </time>
            ) : (
              "—"
            )}
          </Fact>
        </dl>
        <p className="mt-2 text-xs text-gray-600">
          Times in {zone}
          {client ? ", the client’s zone" : ""}.
        </p>
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
      <dd className="text-right font-medium tabular-nums">{children}</dd>
    </div>
  );
}
