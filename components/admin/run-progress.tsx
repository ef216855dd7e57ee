"use client";

import Link from "next/link";
import { useEffect, useRef } from "react";
import { Badge } from "@/components/ui/badge";
import type { RunView } from "@/lib/metrics/status/types";
import { formatTimestampSeconds } from "@/components/format/format";
import { TEXT_LINK } from "@/components/ui/link";
import { ALERT } from "@/components/ui/message";
import { errorText } from "./api";
import { RunCounts } from "./run-counts";
import { STATUS_LABEL, STATUS_TONE, isFinished } from "./sync-status";
import { useRun } from "./use-run";

interface Props {
  runId: number;
  /** "Sync", "Re-classification": what the run is, in the sentence shown. */
  label: string;
  /** Called once when the run has finished, e.g. to reload the figures it changed. */
  onFinished?: (run: RunView) => void;
  /** The client's zone, for the start and end times; UTC for runs of no client. */
  timeZone?: string;
}

/**
 * Follows a run started from this page (Sync now, Save rules) until it succeeds or
 * fails, then shows its final counts. The status line is a live region, so a screen
 * reader hears "Running" and then "Succeeded" without moving focus.
 */
export function RunProgress({ runId, label, onFinished, timeZone = "UTC" }: Props) {
  const { data: run, error } = useRun(runId);
  const reported = useRef<number | null>(null);
  useEffect(() => {
    if (run && isFinished(run.status) && reported.current !== run.id) {
      reported.current = run.id;
      onFinished?.(run);
    }
  }, [run, onFinished]);

  return (
    <div className="mt-3 space-y-2 rounded border border-gray-200 bg-gray-50 p-3" data-testid={`run-progress-${runId}`}>
      <p role="status" aria-live="polite" className="flex flex-wrap items-center gap-2 text-sm">
        <span>
          {label} (run{" "}
          <Link href={`/admin/tasks/${runId}`} className={TEXT_LINK}>
            #{runId}
          </Link>
          ):
        </span>
        {run ? <Badge tone={STATUS_TONE[run.status]}>{STATUS_LABEL[run.status]}</Badge> : <span>Starting…</span>}
      </p>
      {run && run.status !== "queued" && (
        <p className="text-xs text-gray-600">
          Started <time dateTime={run.startedAt}>{formatTimestampSeconds(run.startedAt, timeZone)}</time>
          {run.finishedAt && (
            <>
              , finished <time dateTime={run.finishedAt}>{formatTimestampSeconds(run.finishedAt, timeZone)}</time>
            </>
          )}
        </p>
      )}
      {error && (
        <p role="alert" className={ALERT}>
          Could not read the run: {errorText(error)}
        </p>
      )}
      {run?.status === "error" && (
        <p role="alert" className={ALERT}>
          {run.error ?? "The run failed without a message."}
        </p>
      )}
      {run?.status === "success" && <RunCounts run={run} />}
    </div>
  );
}
