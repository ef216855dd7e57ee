"use client";

import { useCallback } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { buttonClass } from "@/components/ui/button";
import { ALERT } from "@/components/ui/message";
import type { SchedulerJobView } from "@/lib/api/scheduler-view";
import { adminApi, adminKeys, errorText } from "./api";
import { RunProgress } from "./run-progress";
import { StartedSyncs } from "./sync-all-button";

/** A trigger endpoint's 202: one run (rollup, retention) or one per client (collect). */
type Started = { runId: number } | { runs: Array<{ clientId: number; runId: number }> };

/**
 * "Run now" for one scheduled job, through the same endpoint and dispatch as any other
 * start (tasks/sync-all, tasks/rollup, tasks/retention); the run is followed here, and
 * the scheduler status reloads when it is done.
 */
export function RunJobButton({
  job,
  runNowPath,
  clientNames,
}: {
  job: SchedulerJobView;
  runNowPath: string;
  clientNames: Record<number, string>;
}) {
  const queryClient = useQueryClient();
  const start = useMutation({
    mutationFn: () => adminApi<Started>(runNowPath, { method: "POST" }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: adminKeys.scheduler }),
  });
  const onFinished = useCallback(
    () => void queryClient.invalidateQueries({ queryKey: adminKeys.scheduler }),
    [queryClient],
  );
  const answer = start.data;
  return (
    <div className="space-y-2">
      <button
        type="button"
        className={buttonClass("secondary", "sm")}
        disabled={start.isPending}
        aria-label={`Run ${job.label} now`}
        onClick={() => start.mutate()}
      >
        {start.isPending ? "Starting…" : "Run now"}
      </button>
      <div aria-live="polite">
        {start.error && (
          <p role="alert" className={ALERT}>
            {job.label} was not started: {errorText(start.error)}
          </p>
        )}
        {answer && "runId" in answer && (
          <RunProgress key={answer.runId} runId={answer.runId} label={job.label} onFinished={onFinished} />
        )}
        {answer && "runs" in answer && <StartedSyncs runs={answer.runs} clientNames={clientNames} />}
      </div>
    </div>
  );
}
