import type { SyncStatus } from "@/lib/core/vocabulary";
import type { Tone } from "@/components/ui/badge";

/**
 * "2026-03-02 14:03 UTC": cut from the ISO string rather than formatted in the browser's
 * zone, so the server render and hydration agree and every admin reads the same time.
 */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  return `${iso.slice(0, 16).replace("T", " ")} UTC`;
}

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
