import type { SyncStatus } from "@/lib/core/vocabulary";
import type { Tone } from "@/components/ui/badge";

/** How a run's status reads and is coloured on the admin pages. */
export const STATUS_TONE: Record<SyncStatus, Tone> = {
  queued: "gray",
  running: "blue",
  success: "green",
  error: "red",
};

export const STATUS_LABEL: Record<SyncStatus, string> = {
  queued: "Queued",
  running: "Running",
  success: "Succeeded",
  error: "Failed",
};

export const isFinished = (status: SyncStatus | undefined) => status === "success" || status === "error";
