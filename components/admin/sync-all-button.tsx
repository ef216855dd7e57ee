"use client";

import Link from "next/link";
import { useMutation } from "@tanstack/react-query";
import { buttonClass } from "@/components/ui/button";
import { TEXT_LINK } from "@/components/ui/link";
import { ALERT } from "@/components/ui/message";
import { adminApi, errorText } from "./api";

interface SyncAllAnswer {
  runs: Array<{ clientId: number; runId: number }>;
}

/** Starts a sync of every active client and links each resulting run. */
export function SyncAllButton({ clientNames }: { clientNames: Record<number, string> }) {
  const syncAll = useMutation({
    mutationFn: () => adminApi<SyncAllAnswer>("/api/v1/tasks/sync-all", { method: "POST" }),
  });
  return (
    <div className="space-y-2">
      <button
        type="button"
        className={buttonClass("secondary")}
        disabled={syncAll.isPending}
        onClick={() => syncAll.mutate()}
      >
        {syncAll.isPending ? "Starting…" : "Sync all"}
      </button>
      <div aria-live="polite">
        {syncAll.error && (
          <p role="alert" className={ALERT}>
            The syncs were not started: {errorText(syncAll.error)}
          </p>
        )}
        {syncAll.data && <StartedSyncs runs={syncAll.data.runs} clientNames={clientNames} />}
      </div>
    </div>
  );
}

/** The syncs a start answered with, each a link to its task page (Sync all, and the collect job's Run now). */
export function StartedSyncs({ runs, clientNames }: SyncAllAnswer & { clientNames: Record<number, string> }) {
  return (
    <div role="status" className="text-sm">
      {runs.length === 0 ? (
        <p>No active client to sync.</p>
      ) : (
        <>
          <p>Started {runs.length === 1 ? "1 sync" : `${runs.length} syncs`}:</p>
          <ul className="mt-1 list-inside list-disc">
            {runs.map((r) => (
              <li key={r.runId}>
                <Link href={`/admin/tasks/${r.runId}`} className={TEXT_LINK}>
                  {clientNames[r.clientId] ?? `Client ${r.clientId}`}: run #{r.runId}
                </Link>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
