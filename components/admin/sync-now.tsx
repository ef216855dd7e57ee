"use client";

import { useCallback, useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { buttonClass } from "@/components/ui/button";
import { ALERT } from "@/components/ui/message";
import { adminApi, adminKeys, errorText } from "./api";
import { RunProgress } from "./run-progress";

/** Starts a sync of this client and follows it to the end. */
export function SyncNow({ clientId, active, timeZone }: { clientId: number; active: boolean; timeZone: string }) {
  const queryClient = useQueryClient();
  const [runId, setRunId] = useState<number | null>(null);
  const start = useMutation({
    mutationFn: () => adminApi<{ runId: number }>(`/api/v1/tasks/sync-client/${clientId}`, { method: "POST" }),
    onSuccess: (answer) => {
      setRunId(answer.runId);
      void queryClient.invalidateQueries({ queryKey: adminKeys.syncRuns(clientId) });
    },
  });
  const onFinished = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: adminKeys.client(clientId) });
    void queryClient.invalidateQueries({ queryKey: adminKeys.syncRuns(clientId) });
    void queryClient.invalidateQueries({ queryKey: adminKeys.coverage(clientId) });
    void queryClient.invalidateQueries({ queryKey: adminKeys.clients });
  }, [queryClient, clientId]);

  return (
    <div>
      <button
        type="button"
        className={buttonClass("primary")}
        disabled={start.isPending}
        onClick={() => start.mutate()}
      >
        {start.isPending ? "Starting…" : "Sync now"}
      </button>
      {!active && <p className="mt-1 text-xs text-gray-600">This client is inactive: it syncs only when asked.</p>}
      {start.error && (
        <p role="alert" className={`mt-2 ${ALERT}`}>
          The sync was not started: {errorText(start.error)}
        </p>
      )}
      {runId !== null && (
        <RunProgress key={runId} runId={runId} label="Sync" onFinished={onFinished} timeZone={timeZone} />
      )}
    </div>
  );
}
